#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// A service's table as `CreateTable` makes it: a string partition key `pk` and nothing else (no sort
/// key, no GSI: every lookup the functions depend on is a consistent GetItem), on-demand capacity, and a
/// stream with both images, which feeds `outbox-relay`.
public struct DynamoDBTableDefinition: Sendable, Equatable {
    public var tableName: String

    public init(tableName: String) { self.tableName = tableName }

    package var createTableRequest: JSONValue {
        .object([
            "TableName": .string(tableName),
            "AttributeDefinitions": .array([.object(["AttributeName": .string("pk"), "AttributeType": .string("S")])]),
            "KeySchema": .array([.object(["AttributeName": .string("pk"), "KeyType": .string("HASH")])]),
            "BillingMode": .string("PAY_PER_REQUEST"),
            "StreamSpecification": .object(["StreamEnabled": .bool(true), "StreamViewType": .string("NEW_AND_OLD_IMAGES")]),
        ])
    }

    /// Creates the table unless it exists, then waits until it is ACTIVE; answers the stream's ARN.
    @discardableResult
    public func create(using client: AWSJSONClient, timeout: Double = 120, pollInterval: Double = 1) throws -> String? {
        do {
            _ = try client.call("CreateTable", createTableRequest)
        } catch {
            // Already there (a second `aws init`) is fine, as long as it becomes active.
            // (Not `catch where`: Swift 6.3 crashes compiling that on a typed throw.)
            guard error.type == "ResourceInUseException" else { throw error }
        }
        let giveUp = client.clock.now().addingTimeInterval(timeout)
        while true {
            let table = try client.call("DescribeTable", .object(["TableName": .string(tableName)]))["Table"]
            if table?["TableStatus"]?.string == "ACTIVE" { return table?["LatestStreamArn"]?.string }
            guard client.clock.now() < giveUp else {
                throw StoreError("table \(tableName) did not become ACTIVE within \(Int(timeout)) s")
            }
            client.clock.sleep(seconds: pollInterval)
        }
    }
}
