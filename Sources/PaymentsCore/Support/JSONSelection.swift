/// Which parts of a JSON text to build values for. The rest is still read and checked, by the same
/// rules (a repeated key, invalid UTF-8 or a bad escape anywhere is refused), but never turned into
/// strings and dictionaries: a webhook reads a handful of fields from a kilobyte of event.
public indirect enum JSONSelection: Sendable, Equatable {
    /// The whole value.
    case all
    /// Of an object, only these members (each with its own selection); any other value is kept whole.
    case members([String: JSONSelection])

    public static func members(_ pairs: KeyValuePairs<String, JSONSelection>) -> JSONSelection {
        .members(Dictionary(uniqueKeysWithValues: pairs.map { ($0.key, $0.value) }))
    }
}

extension JSONValue {
    /// Reads `bytes` exactly as `init(parsing:maximumDepth:)` does, accepting and refusing the same
    /// texts with the same errors, and builds only what `selection` names: an object under `.members`
    /// holds just the listed keys that are present.
    public init(parsing bytes: [UInt8], keeping selection: JSONSelection, maximumDepth: Int = 64) throws(JSONSyntaxError) {
        var parser = StrictJSONParser(bytes: bytes, maximumDepth: maximumDepth)
        self = try parser.document(keeping: selection)
    }

    /// This value with only what `selection` keeps: what `init(parsing:keeping:)` returns for its text.
    public func selecting(_ selection: JSONSelection) -> JSONValue {
        guard case .members(let wanted) = selection, case .object(let members) = self else { return self }
        var kept: [String: JSONValue] = [:]
        for (key, inner) in wanted {
            if let value = members[key] { kept[key] = value.selecting(inner) }
        }
        return .object(kept)
    }
}
