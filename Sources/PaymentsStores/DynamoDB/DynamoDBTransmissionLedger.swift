import PaymentsCore
import Platform
import AWSClients

/// `TransmissionLedger` in the payments table: an item of its own per transmission,
/// `TRANSMISSION#<provider>#<id>` (see `PaymentItem`), written by one conditional PutItem and carrying
/// `expiresAt` (epoch seconds), the table's TTL attribute, so DynamoDB removes it once the replay
/// window is over. TTL deletion lags by up to days, so an item already past `expiresAt` counts as absent.
///
/// A first delivery costs one PutItem; a repeated id one failed PutItem and one consistent GetItem.
package struct DynamoDBTransmissionLedger: TransmissionLedger {
    public var client: AWSJSONClient
    public var tableName: String

    public init(client: AWSJSONClient, tableName: String) {
        self.client = client
        self.tableName = tableName
    }

    public func record(_ transmission: RecordedTransmission, now: Double) throws -> TransmissionLedgerOutcome {
        let key = PaymentItem.transmissionKey(provider: transmission.provider, id: transmission.id)
        do {
            _ = try client.call("PutItem", .object([
                "TableName": .string(tableName),
                "Item": PaymentItem.transmissionItem(transmission).json,
                "ConditionExpression": .string("attribute_not_exists(pk) OR #expiresAt < :now"),
                "ExpressionAttributeNames": .object(["#expiresAt": .string("expiresAt")]),
                "ExpressionAttributeValues": .object([":now": DynamoDBItem.number(Int(now.rounded(.down)))]),
            ]))
            return .recorded
        } catch {
            guard error.type == "ConditionalCheckFailedException" else { throw error }
        }
        let answer = try client.call("GetItem", .object([
            "TableName": .string(tableName), "Key": DynamoDBItem.key(key), "ConsistentRead": .bool(true),
        ]))
        guard let recorded = DynamoDBItem(answer["Item"]) else {
            // Expired and removed between the two calls: the id is free again, but only one caller may take it.
            throw StoreError("transmission \(transmission.id) of \(transmission.provider) changed while it was checked; deliver again")
        }
        return recorded[string: "bodySha256"] == transmission.bodyDigest ? .sameBody : .differentBody
    }
}
