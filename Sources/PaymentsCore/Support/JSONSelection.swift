/// Which parts of a JSON text to build values for. The rest is still read and checked, by the same
/// rules (a repeated key, invalid UTF-8 or a bad escape anywhere is refused), but never turned into
/// strings and dictionaries: a webhook reads a handful of fields from a kilobyte of event.
public struct JSONSelection: Sendable, Equatable {
    /// The members kept, or nil for the whole value.
    let members: [Member]?
    /// Whether a member's name is not ASCII (then an ASCII key may still equal it as a String).
    let hasNonASCIIName: Bool
    /// Where `JSONPaths` captures this value (nil when building a tree).
    var slot: Int?

    struct Member: Sendable, Equatable {
        var name: String
        /// The name's bytes, compared with a key's without building a String when both are ASCII.
        var utf8: [UInt8]
        var selection: JSONSelection
    }

    /// The whole value.
    public static let all = JSONSelection(members: nil, hasNonASCIIName: false)

    /// Of an object, only these members (each with its own selection); any other value is kept whole.
    public static func members(_ wanted: [String: JSONSelection]) -> JSONSelection {
        let members = wanted.map { Member(name: $0.key, utf8: Array($0.key.utf8), selection: $0.value) }
        return JSONSelection(members: members, hasNonASCIIName: members.contains { !$0.utf8.allSatisfy { $0 < 0x80 } })
    }

    /// What to keep of the member named `key` (its content bytes, escapes resolved; names compare
    /// as Strings compare), or nil to only check it. Under `.all`, everything is kept.
    func selection(for key: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> JSONSelection? {
        guard let members else { return .all }
        if isASCII {
            for member in members where member.utf8.count == key.count {
                if member.utf8.withUnsafeBufferPointer({ name in (0..<key.count).allSatisfy { name[$0] == key[$0] } }) { return member.selection }
            }
            // An ASCII key can still equal a non-ASCII name (U+212A KELVIN SIGN is "K" to a String).
            guard hasNonASCIIName else { return nil }
        }
        let text = String(decoding: key, as: UTF8.self)
        return members.first { $0.name == text }?.selection
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
        guard let wanted = selection.members, case .object(let members) = self else { return self }
        var kept: [String: JSONValue] = [:]
        for (key, value) in members {
            if let member = wanted.first(where: { $0.name == key }) { kept[key] = value.selecting(member.selection) }
        }
        return .object(kept)
    }
}
