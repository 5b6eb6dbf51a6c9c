/// The keys of one object so far, for the strict reader's repeated-key rule, compared as Strings
/// compare (as a dictionary of the object would). ASCII keys, nearly all of them, are compared as bytes, which for ASCII is the same; a
/// long list becomes a set, so a body of many keys stays linear. Once a key is not ASCII, every key is
/// compared as a String (canonical equivalence: "e\u{301}" is "\u{e9}", U+212A is "K").
struct ObjectKeys {
    /// The keys so far with a cheap hash of each (FNV-1a), so a new key is compared with an old one
    /// only when their hashes match: comparing every pair of byte slices cost 400 instructions a key.
    private var few: [(hash: UInt64, key: ArraySlice<UInt8>)] = []
    private var many: Set<ArraySlice<UInt8>>?
    private var strings: Set<String>?

    /// False when `key` (its content bytes, escapes resolved) was already there.
    mutating func insert(_ key: ArraySlice<UInt8>, isASCII: Bool) -> Bool {
        if strings == nil, isASCII {
            if many != nil { return many!.insert(key).inserted }
            let hash = Self.fnv1a(key)
            for entry in few where entry.hash == hash && entry.key == key { return false }
            if few.isEmpty { few.reserveCapacity(16) }
            few.append((hash, key))
            if few.count > 32 {
                many = Set(few.map(\.key))
                few = []
            }
            return true
        }
        if strings == nil {
            strings = Set((many.map(Array.init) ?? few.map(\.key)).map { String(decoding: $0, as: UTF8.self) })
        }
        return strings!.insert(String(decoding: key, as: UTF8.self)).inserted
    }

    private static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBufferPointer { buffer in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in buffer { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return hash
        }
    }
}
