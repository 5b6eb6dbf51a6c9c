import Platform

/// The outbox of any service's DynamoDB table: one item per event, `OUTBOX#<eventId>` of `type`
/// `outbox`, holding the event's one encoding verbatim in `event`. Items are written inside the
/// service's own transaction (`item(_:)`), carried by the table's stream to `outbox-relay`, which
/// publishes them and removes them here.
public struct DynamoDBOutbox: StreamedOutbox {
    public var table: DynamoDBTable

    public init(table: DynamoDBTable) { self.table = table }

    public static func key(_ eventID: String) -> String { "OUTBOX#\(eventID)" }

    /// The item that holds `event` until it is published.
    public static func item(_ event: EncodedEvent) -> DynamoDBItem {
        var item = DynamoDBItem()
        item[string: "pk"] = key(event.id)
        item[string: "type"] = "outbox"
        item[string: "detailType"] = event.detailType
        item[string: "event"] = String(decoding: event.json, as: UTF8.self)
        return item
    }

    /// Scans the table for outbox items, oldest first. Tooling only (the CLI's `relay` on a table without
    /// its stream, tests): in AWS the stream carries the outbox, and nothing on a hot path scans.
    public func unpublished(limit: Int) throws -> [EncodedEvent] {
        guard limit > 0 else { return [] }
        let events = try table.scan(type: "outbox").map { item in
            guard let text = item[string: "event"] else { throw UnreadableEvent("an outbox item has no event") }
            return try EncodedEvent(json: Array(text.utf8))
        }
        return Array(events.sorted { ($0.time, $0.id) < ($1.time, $1.id) }.prefix(limit))
    }

    /// Which of `eventIDs` still have their outbox item: one strongly consistent BatchGetItem per 100.
    public func unpublishedEventIDs(among eventIDs: [String]) throws -> Set<String> {
        let unique = Array(Set(eventIDs))  // a repeated key fails the whole batch
        var found = Set<String>()
        for start in stride(from: 0, to: unique.count, by: 100) {
            var keys: JSONValue = .array(unique[start..<min(start + 100, unique.count)].map { DynamoDBItem.key(Self.key($0)) })
            var attempt = 0
            while true {
                attempt += 1
                let answer = try table.client.call("BatchGetItem", .object(["RequestItems": .object([
                    table.name: .object(["Keys": keys, "ConsistentRead": .bool(true), "ProjectionExpression": .string("pk")]),
                ])]))
                if case .array(let items)? = answer["Responses"]?[table.name] {
                    for item in items {
                        if let pk = DynamoDBItem(item)?[string: "pk"], pk.hasPrefix("OUTBOX#") { found.insert(String(pk.dropFirst("OUTBOX#".count))) }
                    }
                }
                // Unprocessed keys are DynamoDB throttling the batch: back off and ask for just those.
                guard let left = answer["UnprocessedKeys"]?[table.name]?["Keys"], case .array(let rest) = left, !rest.isEmpty else { break }
                guard attempt < table.client.retry.maxAttempts else {
                    throw StoreError("DynamoDB left \(rest.count) outbox reads unprocessed after \(attempt) attempts")
                }
                table.client.clock.sleep(seconds: table.client.retry.delay(afterAttempt: attempt))
                keys = left
            }
        }
        return found
    }

    /// Deletes the published events' outbox items, 25 to a BatchWriteItem.
    public func markPublished(eventIDs: [String]) throws {
        var seen = Set<String>()
        let unique = eventIDs.filter { seen.insert($0).inserted }  // a repeated key fails the whole batch
        for start in stride(from: 0, to: unique.count, by: 25) {
            var pending: JSONValue = .array(unique[start..<min(start + 25, unique.count)].map {
                .object(["DeleteRequest": .object(["Key": DynamoDBItem.key(Self.key($0))])])
            })
            var attempt = 0
            while true {
                attempt += 1
                let answer = try table.client.call("BatchWriteItem", .object(["RequestItems": .object([table.name: pending])]))
                // Unprocessed deletes are DynamoDB's way of throttling a batch: back off and send just those.
                guard let left = answer["UnprocessedItems"]?[table.name], case .array(let rest) = left, !rest.isEmpty else { break }
                guard attempt < table.client.retry.maxAttempts else {
                    throw StoreError("DynamoDB kept \(rest.count) outbox deletes unprocessed after \(attempt) attempts")
                }
                table.client.clock.sleep(seconds: table.client.retry.delay(afterAttempt: attempt))
                pending = left
            }
        }
    }
}
