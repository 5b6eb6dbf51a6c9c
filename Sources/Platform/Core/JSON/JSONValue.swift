/// Any JSON value, as read by `JSONValue(parsing:)`. Numbers keep their source text, so an amount is
/// never rounded through a Double and `2000.0` stays distinguishable from `2000`.
///
/// There is deliberately no `Decodable` conformance: a Foundation decoder hands numbers over as
/// Double or Int and takes the first of two repeated keys, which is exactly what this type exists to avoid.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number as an integer, only when its source text is an integer literal (no fraction, no exponent).
    public var int: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
