import Platform

/// A DynamoDB item in its wire form: attribute name to typed value (`{"S": "…"}`, `{"N": "12"}`).
public struct DynamoDBItem: Equatable, Sendable {
    public var attributes: [String: JSONValue]

    public init(_ attributes: [String: JSONValue] = [:]) { self.attributes = attributes }

    /// The item of a GetItem/Scan answer, or nil when the value is not an item.
    public init?(_ value: JSONValue?) {
        guard case .object(let attributes)? = value else { return nil }
        self.attributes = attributes
    }

    public var json: JSONValue { .object(attributes) }

    /// A string attribute; nil clears it (DynamoDB has no null we need: an absent attribute is nil).
    public subscript(string name: String) -> String? {
        get { attributes[name]?["S"]?.string }
        set { attributes[name] = newValue.map(Self.string) }
    }

    /// A number attribute holding an integer (minor units, versions, epoch milliseconds).
    public subscript(int name: String) -> Int? {
        get { attributes[name]?["N"]?.string.flatMap { Int($0) } }
        set { attributes[name] = newValue.map(Self.number) }
    }

    public static func string(_ value: String) -> JSONValue { .object(["S": .string(value)]) }
    public static func number(_ value: Int) -> JSONValue { .object(["N": .string(String(value))]) }

    /// `{"pk": {"S": key}}`, the key of every item in the table.
    public static func key(_ pk: String) -> JSONValue { .object(["pk": string(pk)]) }
}
