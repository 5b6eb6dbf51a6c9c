/// The keys of the objects being read, for the strict reader's repeated-key rule, compared as Strings
/// compare (as a dictionary of the object would). ASCII keys, nearly all of them, are compared as bytes,
/// which for ASCII is the same; a long object's keys become a set, so a body of many keys stays linear.
/// Once an object has a key that is not ASCII, its keys are compared as Strings (canonical equivalence:
/// "e\u{301}" is "\u{e9}", U+212A is "K").
struct ObjectKeys {
    /// A key with a cheap hash of its bytes, so a new key is compared with an old one only
    /// when their hashes match. Its bytes are in the text, or in `decoded` when it had escapes: a plain
    /// value, so a scan of the keys involves no reference counting.
    private struct Entry {
        var hash: UInt64
        var range: Range<Int>
        var isDecoded: Bool
    }

    /// The keys of every object open now, innermost last: one buffer for the whole text, so an object
    /// costs no allocation of its own (a list per object was one malloc and free per object).
    private var entries: [Entry] = []
    /// The bytes of those keys that had escapes, resolved.
    private var decoded: [UInt8] = []

    /// One open object's part of the keys.
    struct Frame {
        fileprivate let base: Int
        fileprivate let decodedBase: Int
        fileprivate var hashBits: UInt64 = 0
        fileprivate var many: Set<[UInt8]>?
        fileprivate var strings: Set<String>?
    }

    mutating func open() -> Frame {
        if entries.capacity == 0 { entries.reserveCapacity(32) }
        return Frame(base: entries.count, decodedBase: decoded.count)
    }

    mutating func close(_ frame: Frame) {
        entries.removeSubrange(frame.base...)
        decoded.removeSubrange(frame.decodedBase...)
    }

    /// False when `key` was already in the object of `frame`; `text` is the JSON text the key was read from.
    mutating func insert(_ key: StringContent, in frame: inout Frame, text: UnsafeBufferPointer<UInt8>) -> Bool {
        if frame.strings == nil, key.isASCII {
            if frame.many != nil { return key.withBytes(in: text) { frame.many!.insert(Array($0)).inserted } }
            let hash = key.withBytes(in: text, Self.wordHash)
            // A bit per hash's top six bits: most new keys find theirs unset and skip the scan.
            let bit: UInt64 = 1 << (hash >> 58)
            let repeated = frame.hashBits & bit != 0 && key.withBytes(in: text) { new in
                decoded.withUnsafeBufferPointer { decoded in
                    entries.withUnsafeBufferPointer { entries in
                        entries[frame.base...].contains { entry in
                            entry.hash == hash && (entry.isDecoded ? decoded : text)[entry.range].elementsEqual(new)
                        }
                    }
                }
            }
            if repeated { return false }
            frame.hashBits |= bit
            if let bytes = key.decoded {
                entries.append(Entry(hash: hash, range: decoded.count..<decoded.count + bytes.count, isDecoded: true))
                decoded += bytes
            } else {
                entries.append(Entry(hash: hash, range: key.range, isDecoded: false))
            }
            if entries.count - frame.base > 32 { frame.many = Set(keptKeys(of: frame, text: text)) }
            return true
        }
        if frame.strings == nil {
            let earlier = frame.many.map(Array.init) ?? keptKeys(of: frame, text: text)
            frame.strings = Set(earlier.map { String(decoding: $0, as: UTF8.self) })
            frame.many = nil
        }
        return frame.strings!.insert(key.withBytes(in: text) { String(decoding: $0, as: UTF8.self) }).inserted
    }

    /// The keys of `frame` as byte arrays, taken out of the shared buffers (for a set of them).
    private mutating func keptKeys(of frame: Frame, text: UnsafeBufferPointer<UInt8>) -> [[UInt8]] {
        let keys = entries[frame.base...].map { Array($0.isDecoded ? decoded[$0.range] : ArraySlice(text[$0.range])) }
        entries.removeSubrange(frame.base...)
        decoded.removeSubrange(frame.decodedBase...)
        return keys
    }

    /// A cheap hash of a key: its length and its first and last eight bytes, read as words (nearly
    /// every key is shorter than sixteen bytes, so this is all of it); keys equal in these are compared
    /// in full. Hashing byte by byte cost more than the rest of the check.
    private static func wordHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var words = UInt64(bytes.count)
        if let base = bytes.baseAddress, bytes.count >= 8 {
            let raw = UnsafeRawPointer(base)
            words ^= raw.loadUnaligned(as: UInt64.self) &* 0xC2B2_AE3D_27D4_EB4F
            words ^= raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
        } else {
            for byte in bytes { words = words << 8 | UInt64(byte) }
        }
        // A multiply carries every bit into the top ones, which pick the bit in `hashBits`.
        return words &* 0x9E37_79B9_7F4A_7C15
    }
}
