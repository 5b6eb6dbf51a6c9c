/// Which parts of a JSON text to build values for. The rest is still read and checked, by the same
/// rules (a repeated key, invalid UTF-8 or a bad escape anywhere is refused), but never turned into
/// strings and dictionaries: a webhook reads a handful of fields from a kilobyte of event.
public struct JSONSelection: Sendable, Equatable {
    /// The members kept, or nil for the whole value. A class, so that passing a selection down the
    /// reader retains one reference rather than each of its arrays.
    let members: Members?
    /// Where `JSONPaths` captures this value (nil when building a tree).
    var slot: Int?

    final class Members: Sendable, Equatable {
        let list: [Member]
        /// Whether a member's name is not ASCII (then an ASCII key may still equal it as a String).
        let hasNonASCIIName: Bool
        /// The names as UTF-8, one after another, and where each ends: an ASCII key is looked up here
        /// without copying a member (each copy retained its name, its bytes and its selection).
        let names: [UInt8]
        let nameEnds: [Int]
        /// A bit for each length of name below 64: most keys of an event are none of the names kept,
        /// and their length alone says so.
        let nameLengths: UInt64

        init(_ list: [Member]) {
            self.list = list
            hasNonASCIIName = list.contains { !$0.utf8.allSatisfy { $0 < 0x80 } }
            names = list.flatMap(\.utf8)
            var end = 0
            nameEnds = list.map { end += $0.utf8.count; return end }
            nameLengths = list.reduce(0) { $1.utf8.count < 64 ? $0 | 1 << UInt64($1.utf8.count) : $0 }
        }

        var count: Int { list.count }

        static func == (a: Members, b: Members) -> Bool { a.list == b.list }

        func index(ofASCII key: UnsafeBufferPointer<UInt8>) -> Int? {
            if key.count < 64, nameLengths & 1 << UInt64(key.count) == 0 { return nil }
            return names.withUnsafeBufferPointer { names in
                var start = 0
                for (index, end) in nameEnds.enumerated() {
                    defer { start = end }
                    guard end - start == key.count else { continue }
                    var same = true
                    for offset in 0..<key.count where names[start + offset] != key[offset] {
                        same = false
                        break
                    }
                    if same { return index }
                }
                return nil
            }
        }
    }

    struct Member: Sendable, Equatable {
        var name: String
        var utf8: [UInt8]
        var selection: JSONSelection
    }

    /// The whole value.
    public static let all = JSONSelection(members: nil)

    /// Of an object, only these members (each with its own selection); any other value is kept whole.
    public static func members(_ wanted: [String: JSONSelection]) -> JSONSelection {
        JSONSelection(members: Members(wanted.map { Member(name: $0.key, utf8: Array($0.key.utf8), selection: $0.value) }))
    }

    /// What to keep of the member named `key` (its content bytes, escapes resolved; names compare
    /// as Strings compare), or nil to only check it. Under `.all`, everything is kept.
    func selection(for key: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> JSONSelection? {
        guard let members else { return .all }
        if isASCII {
            if let index = members.index(ofASCII: key) { return members.list[index].selection }
            // An ASCII key can still equal a non-ASCII name (U+212A KELVIN SIGN is "K" to a String).
            guard members.hasNonASCIIName else { return nil }
        }
        let text = String(decoding: key, as: UTF8.self)
        return members.list.first { $0.name == text }?.selection
    }
}

extension JSONValue {
    /// Reads `bytes` exactly as `init(parsing:maximumDepth:)` does, accepting and refusing the same
    /// texts with the same errors, and builds only what `selection` names: an object under `.members`
    /// holds just the listed keys that are present.
    public init(parsing bytes: [UInt8], keeping selection: JSONSelection, maximumDepth: Int = 64) throws(JSONSyntaxError) {
        self = try StrictJSONParser.read(bytes, keeping: selection, maximumDepth: maximumDepth)
    }

    /// This value with only what `selection` keeps: what `init(parsing:keeping:)` returns for its text.
    public func selecting(_ selection: JSONSelection) -> JSONValue {
        guard let wanted = selection.members?.list, case .object(let members) = self else { return self }
        var kept: [String: JSONValue] = [:]
        for (key, value) in members {
            if let member = wanted.first(where: { $0.name == key }) { kept[key] = value.selecting(member.selection) }
        }
        return .object(kept)
    }
}
