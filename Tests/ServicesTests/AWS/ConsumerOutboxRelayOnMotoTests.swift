import Foundation
import Testing
import AWSClients
import DeliveryService
import FunctionHost
import NotificationService
import PaymentsCore
import Platform
import OutboxRelayFunction
import TestSupport

/// A consumer's table has an outbox-relay of its own in AWS (terraform/consumers.tf,
/// serverless/consumers.yml: the outbox-relay zip with OUTBOX_TABLE naming that table). Here, on moto:
/// the consumer's store writes its change and outbox item through its real DynamoDB store, the table's
/// stream is read as Lambda's event source mapping reads it, the batch goes to the `outbox-relay`
/// function built from its environment as in Lambda, and the event arrives on the SQS queue a bus rule
/// on its source targets; the relay removes the published item from the consumer's table.
@Suite("Consumer tables' outbox relay on moto", .serialized)
struct ConsumerOutboxRelayOnMotoTests {
    @Test func aShipmentsEventInTheDeliveryTableReachesTheBusThroughTheTablesRelay() throws {
        let table = try Moto.table("delivery")
        let store = DynamoDBShipmentStore(table: table)
        let success = Events.succeeded()
        let change = try #require(Shipment.applying(success, to: nil, at: Events.start))
        #expect(try store.save(change.shipment, expectedVersion: nil, processedEventID: success.id, events: change.events) == .saved)

        let delivered = try relayThroughTheBus(table: table, source: "shop.delivery", expecting: change.events.count)
        // (An SQS queue keeps no order: compared as sorted lists.)
        #expect(delivered.map(\.eventID).sorted() == change.events.map(\.id).sorted())
        #expect(delivered.map(\.detailType).sorted() == change.events.map(\.detailType).sorted())
        #expect(delivered.map(\.detailType).contains("ShipmentRequested"))
        #expect(delivered.allSatisfy { $0.source == "shop.delivery" })
        #expect(try table.scan(type: "outbox").isEmpty, "the relay removed what it published from the delivery table")
        #expect(try store.shipment(orderID: "ord_1") == change.shipment, "the shipment itself is untouched")
    }

    @Test func aSentRecordsEventInTheNotificationsTableReachesTheBusThroughTheTablesRelay() throws {
        let table = try Moto.table("notifications")
        let store = DynamoDBNotificationStore(table: table)
        let record = SentRecord(eventID: "pay_1-v2", channel: .email, detailType: "PaymentSucceeded", orderID: "ord_1", paymentID: "pay_1",
                                messageID: "ses-1", sentAt: Events.start)
        let event = NotificationEvents.sent(record)
        #expect(try store.recordSent(record, events: [event]))

        let delivered = try relayThroughTheBus(table: table, source: "shop.notifications", expecting: 1)
        #expect(delivered.map(\.eventID) == [event.id])
        #expect(delivered.map(\.detailType) == ["NotificationSent"])
        #expect(delivered.first?.source == "shop.notifications")
        #expect(try table.scan(type: "outbox").isEmpty, "the relay removed what it published from the notifications table")
        #expect(try store.hasSent(eventID: "pay_1-v2", channel: .email), "the sent-record stays")
    }

    /// A bus with a rule on `source` targeting a queue; the table's stream read from its start into one
    /// Lambda event; the relay function run on it with OUTBOX_TABLE naming the table; the queue read
    /// until `count` events came. Answers what EventBridge delivered.
    func relayThroughTheBus(table: DynamoDBTable, source: String, expecting count: Int) throws -> [DeliveredEvent] {
        let server = try MotoServer.shared()
        let events = try Moto.client(.eventBridge)
        let bus = Moto.name("shop")
        let queue = try MotoQueue.create(Moto.name("consumer-events"))
        _ = try events.call("CreateEventBus", .object(["Name": .string(bus)]))
        _ = try events.call("PutRule", .object([
            "Name": .string("consumer-events"), "EventBusName": .string(bus),
            "EventPattern": .string(#"{"source":["\#(source)"]}"#),
        ]))
        _ = try events.call("PutTargets", .object([
            "Rule": .string("consumer-events"), "EventBusName": .string(bus),
            "Targets": .array([.object(["Id": .string("queue"), "Arn": .string(queue.arn)])]),
        ]))

        let (streamARN, records) = try streamRecords(of: table)
        #expect(records.contains { $0["dynamodb"]?["Keys"]?["pk"]?["S"]?.string?.hasPrefix("OUTBOX#") == true },
                "the outbox item is on the table's stream")
        // Lambda's event: the records as GetRecords gives them, each with the stream's ARN.
        let lambdaRecords = records.map { record -> JSONValue in
            guard case .object(var members) = record else { return record }
            members["eventSourceARN"] = .string(streamARN)
            return .object(members)
        }
        let environment = [
            "OUTBOX_TABLE": table.name, "OUTBOX_EVENTS": "eventbridge:\(bus)",
            "AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": server.endpoint,
            "AWS_ACCESS_KEY_ID": Moto.credentials.accessKeyID, "AWS_SECRET_ACCESS_KEY": Moto.credentials.secretAccessKey,
        ]
        let relay = try FunctionRuntime(OutboxRelayFunction.definition, environment: environment, logger: .discarding)
        let answer = try relay.invoke(event: JSONWriter.bytes(.object(["Records": .array(lambdaRecords)])),
                                      context: InvocationContext(requestID: "relay-1", logger: .discarding))
        #expect(String(decoding: answer, as: UTF8.self) == #"{"batchItemFailures":[]}"#, "every record acknowledged")

        let received = try queue.receive(expecting: count)
        #expect(received.batch.records.count == count, "the rule delivered every event of the outbox")
        return try received.batch.records.map { try DeliveredEvent(envelope: $0.body) }
    }

    /// Every record of the table's stream, from its start, as the event source mapping reads them.
    func streamRecords(of table: DynamoDBTable) throws -> (arn: String, records: [JSONValue]) {
        let streams = table.client.forService(.dynamoDBStreams)
        let description = try table.client.call("DescribeTable", .object(["TableName": .string(table.name)]))
        let arn = try #require(description["Table"]?["LatestStreamArn"]?.string)
        let shards = try streams.call("DescribeStream", .object(["StreamArn": .string(arn)]))
        guard case .array(let shardList)? = shards["StreamDescription"]?["Shards"] else { throw StoreError("no shards") }
        var records: [JSONValue] = []
        for shard in shardList {
            let shardID = try #require(shard["ShardId"]?.string)
            var iterator = try streams.call("GetShardIterator", .object([
                "StreamArn": .string(arn), "ShardId": .string(shardID), "ShardIteratorType": .string("TRIM_HORIZON"),
            ]))["ShardIterator"]?.string
            while let current = iterator {
                let page = try streams.call("GetRecords", .object(["ShardIterator": .string(current)]))
                guard case .array(let more)? = page["Records"], !more.isEmpty else { break }
                records += more
                iterator = page["NextShardIterator"]?.string
            }
        }
        return (arn, records)
    }
}

/// What a rule's queue holds: EventBridge's envelope of a consumer's event.
struct DeliveredEvent {
    var source: String
    var detailType: String
    var eventID: String

    init(envelope body: String) throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        source = try #require(object["source"] as? String)
        detailType = try #require(object["detail-type"] as? String)
        let detail = try #require(object["detail"] as? [String: Any])
        eventID = try #require(detail["eventId"] as? String)
    }
}
