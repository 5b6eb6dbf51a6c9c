#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// The few DynamoDB requests the consumers' stores make on their one-key tables (`pk`, as
/// `DynamoDBTableDefinition` creates them): a consistent GetItem, conditioned Puts, and one
/// TransactWriteItems per change.
public struct DynamoDBTable: Sendable {
    public var client: AWSJSONClient
    public var name: String

    public init(client: AWSJSONClient, name: String) {
        self.client = client
        self.name = name
    }

    public enum Condition: Sendable {
        case absent
        /// The item exists with this `version`.
        case version(Int)
        /// The item is absent, or its string `attribute` already holds `value` (a lookup item its owner rewrites).
        case absentOr(attribute: String, equals: String)
    }

    /// A strongly consistent read of the item under `pk`.
    public func item(_ pk: String) throws -> DynamoDBItem? {
        let answer = try client.call("GetItem", .object([
            "TableName": .string(name), "Key": DynamoDBItem.key(pk), "ConsistentRead": .bool(true),
        ]))
        return DynamoDBItem(answer["Item"])
    }

    /// A `Put` for a transaction, with its condition.
    public func put(_ item: DynamoDBItem, condition: Condition) -> JSONValue {
        var put: [String: JSONValue] = ["TableName": .string(name), "Item": item.json]
        switch condition {
        case .absent:
            put["ConditionExpression"] = .string("attribute_not_exists(pk)")
        case .version(let expected):
            put["ConditionExpression"] = .string("#version = :expected")
            put["ExpressionAttributeNames"] = .object(["#version": .string("version")])
            put["ExpressionAttributeValues"] = .object([":expected": DynamoDBItem.number(expected)])
        case .absentOr(let attribute, let value):
            put["ConditionExpression"] = .string("attribute_not_exists(pk) OR \(attribute) = :id")
            put["ExpressionAttributeValues"] = .object([":id": DynamoDBItem.string(value)])
        }
        return .object(["Put": .object(put)])
    }

    /// One TransactWriteItems. Answers nil when it committed, or the cancellation reasons (one per
    /// item, `None` or `ConditionalCheckFailed`...) when a condition failed; any other error is thrown.
    /// The client token makes a retry after a lost answer harmless.
    public func transact(_ items: [JSONValue]) throws -> [String]? {
        do {
            _ = try client.call("TransactWriteItems", .object([
                "TransactItems": .array(items), "ClientRequestToken": .string(UUID().uuidString),
            ]))
            return nil
        } catch {
            guard error.type == "TransactionCanceledException", error.cancellationReasons.contains("ConditionalCheckFailed") else { throw error }
            return error.cancellationReasons
        }
    }

    /// Scans items of one `type` (tooling only: the CLI inspecting a table; no function scans).
    public func scan(type: String) throws -> [DynamoDBItem] {
        var items: [DynamoDBItem] = []
        var startKey: JSONValue?
        repeat {
            var request: [String: JSONValue] = [
                "TableName": .string(name), "ConsistentRead": .bool(true),
                "FilterExpression": .string("#type = :type"),
                "ExpressionAttributeNames": .object(["#type": .string("type")]),
                "ExpressionAttributeValues": .object([":type": DynamoDBItem.string(type)]),
            ]
            if let startKey { request["ExclusiveStartKey"] = startKey }
            let page = try client.call("Scan", .object(request))
            if case .array(let found)? = page["Items"] { items += found.compactMap { DynamoDBItem($0) } }
            startKey = page["LastEvaluatedKey"]
        } while startKey != nil
        return items
    }
}
