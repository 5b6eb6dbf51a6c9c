import Foundation
import Testing
import AWSClients
import DeliveryService
import NotificationService
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport

/// The consumers against moto: their DynamoDB stores, EventBridge -> SQS for Delivery, SNS -> SQS per
/// channel for Notification (raw and wrapped), a poison message redriven to the DLQ, SES and SNS sends.
/// (moto 5.2.1 cannot deliver an EventBridge rule to an SNS topic; scripts/aws_e2e_test.sh covers that
/// hop through scripts/moto_server.py. Here the envelope is published to the topic as EventBridge would.)
@Suite("Consumers on moto", .serialized)
struct ConsumersOnMotoTests {
    @Test func theShipmentStoreOnDynamoDBIsConditionalOnVersionAndMarkerAndWritesTheOutboxWithIt() throws {
        let table = try Moto.table("delivery")
        let store = DynamoDBShipmentStore(table: table)
        let success = Events.succeeded()
        let first = try #require(Shipment.applying(success, to: nil, at: Events.start))
        #expect(try store.save(first.shipment, expectedVersion: nil, processedEventID: success.id, events: first.events) == .saved)
        #expect(try store.shipment(orderID: "ord_1") == first.shipment)
        #expect(try store.hasProcessed(eventID: success.id))
        #expect(try store.save(first.shipment, expectedVersion: nil, processedEventID: "other", events: []) == .versionConflict)
        let refund = Events.refunded(total: 2500)
        let second = try #require(Shipment.applying(refund, to: first.shipment, at: Events.start.addingTimeInterval(1)))
        #expect(try store.save(second.shipment, expectedVersion: 1, processedEventID: success.id, events: second.events) == .alreadyProcessed)
        #expect(try store.save(second.shipment, expectedVersion: 7, processedEventID: refund.id, events: second.events) == .versionConflict)
        #expect(try store.save(second.shipment, expectedVersion: 1, processedEventID: refund.id, events: second.events) == .saved)
        #expect(try store.shipment(orderID: "ord_1")?.status == .canceled)
        let outbox = try table.scan(type: "outbox")
        #expect(outbox.compactMap { $0[string: "detailType"] }.sorted() == ["ShipmentCanceled", "ShipmentRequested"])
        let text = try #require(outbox.first?[string: "event"])
        #expect(try ServiceEvent(json: Array(text.utf8)).source == "shop.delivery", "the one JSON encoding, as outbox-relay reads it")
        let marker = try #require(try table.item("PROCESSED#\(success.id)"))
        #expect((marker[int: "expiresAt"] ?? 0) > Int(Events.start.timeIntervalSince1970) + 14 * 86_400)
    }

    @Test func theNotificationStoreOnDynamoDBWritesASentRecordOnce() throws {
        let table = try Moto.table("notifications")
        let store = DynamoDBNotificationStore(table: table)
        let record = SentRecord(eventID: "pay_1-v3", channel: .email, detailType: "PaymentSucceeded", orderID: "ord_1", paymentID: "pay_1",
                                messageID: "ses-1", sentAt: Events.start)
        #expect(try !store.hasSent(eventID: "pay_1-v3", channel: .email))
        #expect(try store.recordSent(record, events: [NotificationEvents.sent(record)]))
        #expect(try store.hasSent(eventID: "pay_1-v3", channel: .email))
        #expect(try !store.hasSent(eventID: "pay_1-v3", channel: .sms), "each channel has its own record")
        #expect(try !store.recordSent(record, events: [NotificationEvents.sent(record)]), "a second record for the same event and channel is refused")
        let message = NotificationMessage(channel: .sms, recipient: "+14155550123", subject: nil, text: "t", eventID: "pay_1-v3",
                                          detailType: "PaymentSucceeded", orderID: "ord_1", paymentID: "pay_1")
        let failed = NotificationEvents.failed(message, reason: "Throttling", attempt: 1, at: Events.start)
        try store.recordFailure(events: [failed])
        try store.recordFailure(events: [failed])
        #expect(try table.scan(type: "outbox").count == 2)
    }

    @Test func aSuccessOnTheBusReachesTheDeliveryQueueAndMakesOneShipment() throws {
        let events = try Moto.client(.eventBridge)
        let bus = Moto.name("shop")
        let queue = try MotoQueue.create(Moto.name("shop-delivery"))
        _ = try events.call("CreateEventBus", .object(["Name": .string(bus)]))
        _ = try events.call("PutRule", .object([
            "Name": .string("payments-to-delivery"), "EventBusName": .string(bus),
            "EventPattern": .string(#"{"source":["shop.payments"],"detail-type":["PaymentSucceeded","PaymentRefunded"]}"#),
        ]))
        _ = try events.call("PutTargets", .object([
            "Rule": .string("payments-to-delivery"), "EventBusName": .string(bus),
            "Targets": .array([.object(["Id": .string("delivery"), "Arn": .string(queue.arn)])]),
        ]))
        let publisher = EventBridgePublisher(client: events, busName: bus)
        let success = Events.succeeded()
        #expect(try publisher.publish([Events.payment(state: PaymentState(), version: 1), success, success]) == .allPublished)

        let store = DynamoDBShipmentStore(table: try Moto.table("delivery"))
        let handler = DeliveryHandler(store: store, clock: SteppingClock())
        let received = try queue.receive(expecting: 2)
        #expect(received.batch.records.count == 2, "the pending event is not routed to Delivery; the success twice")
        let response = try handler.handle(received.batch, context: context())
        #expect(response == .allSucceeded)
        try queue.settle(received.batch, handles: received.handles, response: response)
        let shipment = try #require(try store.shipment(orderID: "ord_1"))
        #expect(shipment.status == .requested && shipment.version == 1)
        #expect(try queue.approximateCount() == 0)
    }

    @Test func aPoisonMessageEndsInTheDeadLetterQueueAfterMaxReceiveCountAndNeverBlocksTheOthers() throws {
        let deadLetter = try MotoQueue.create(Moto.name("shop-delivery-dlq"))
        let queue = try MotoQueue.create(Moto.name("shop-delivery"), attributes: [
            "VisibilityTimeout": "0",
            "RedrivePolicy": #"{"deadLetterTargetArn":"\#(deadLetter.arn)","maxReceiveCount":"2"}"#,
        ])
        try queue.send("buyer@example.com asks where the parcel is")
        try queue.send(Events.envelope(Events.succeeded("pay_x", order: "ord_x")))
        let store = DynamoDBShipmentStore(table: try Moto.table("delivery"))
        let handler = DeliveryHandler(store: store, clock: SteppingClock())
        let logs = LogLines()
        var receives = 0
        for _ in 0..<10 {
            let received = try queue.receive()
            if received.batch.records.isEmpty { break }
            receives += received.batch.records.count
            try queue.settle(received.batch, handles: received.handles, response: try handler.handle(received.batch, context: context(logs)))
        }
        #expect(try store.shipment(orderID: "ord_x")?.status == .requested, "the good message was processed")
        #expect(try queue.approximateCount() == 0)
        let dead = try deadLetter.receive(expecting: 1)
        #expect(dead.batch.records.map(\.body) == ["buyer@example.com asks where the parcel is"])
        #expect(receives == 3, "the good one once, the poison twice (maxReceiveCount), then the DLQ")
        #expect(logs.all.filter { $0.contains("unreadable record") }.count == 2)
        #expect(!logs.text.contains("buyer@example.com"))
    }

    @Test func theTopicFansOutToOneQueuePerChannelRawOrWrappedAndEachChannelSendsOnItsOwn() throws {
        let sns = SNSClient(client: try Moto.client())
        let prefix = Moto.name("shop-notification")
        guard let topic = XMLText.first("TopicArn", in: try sns.call("CreateTopic", [("Name", prefix)])) else {
            Issue.record("no topic")
            return
        }
        let email = try MotoQueue.create("\(prefix)-email")
        let sms = try MotoQueue.create("\(prefix)-sms")
        _ = try sns.call("Subscribe", [("TopicArn", topic), ("Protocol", "sqs"), ("Endpoint", email.arn),
                                       ("Attributes.entry.1.key", "RawMessageDelivery"), ("Attributes.entry.1.value", "true")])
        _ = try sns.call("Subscribe", [("TopicArn", topic), ("Protocol", "sqs"), ("Endpoint", sms.arn)])
        let event = Events.succeeded()
        _ = try sns.call("Publish", [("TopicArn", topic), ("Message", Events.envelope(event))])

        let store = try SQLiteNotificationStore(path: temporaryPath("notifications-moto"))
        let emailSender = RecordingSender()
        let smsSender = RecordingSender()
        smsSender.failing.withLock { $0 = true }
        let handler = NotificationHandler(store: store, senders: [.email: emailSender, .sms: smsSender], enabled: [.email, .sms],
                                          clock: SteppingClock())
        let fromEmail = try email.receive(expecting: 1)
        let fromSMS = try sms.receive(expecting: 1)
        #expect(try EventBridgeEnvelope(sqsBody: fromEmail.batch.records[0].body).viaSNS == false, "raw delivery")
        #expect(try EventBridgeEnvelope(sqsBody: fromSMS.batch.records[0].body).viaSNS == true, "SNS's envelope")
        #expect(try handler.handle(fromEmail.batch, context: context()) == .allSucceeded)
        let smsResponse = try handler.handle(fromSMS.batch, context: context())
        #expect(smsResponse == BatchResponse(failedItems: [fromSMS.batch.records[0].messageId]), "the SMS channel fails alone")
        #expect(emailSender.messages.count == 1 && emailSender.messages[0].recipient == "buyer@example.com")
        #expect(smsSender.messages.isEmpty)
    }

    @Test func emailGoesThroughSESv2FromAVerifiedSenderAndSMSThroughSNS() throws {
        let client = try Moto.client()
        let ses = SESv2Client(client: client)
        let sender = "shop-\(UUID().uuidString.prefix(6).lowercased())@example.com"
        let message = try #require(NotificationTemplates.message(for: Events.succeeded(), channel: .email, recipient: "buyer@example.com"))
        // An unverified sender is refused: the record fails and NotificationFailed names the kind, not the words.
        #expect(throws: AWSError.self) { try SESEmailSender(ses: ses, from: sender).send(message) }
        let verify = HTTPRequest(method: "POST", url: client.configuration.endpoint(hostPrefix: "email") + "/v2/email/identities",
                                 headers: [(name: "Content-Type", value: "application/json")],
                                 body: Array(#"{"EmailIdentity":"\#(sender)"}"#.utf8))
        _ = try client.send(verify, operation: "SESv2.CreateEmailIdentity", signingName: "ses")
        let id = try SESEmailSender(ses: ses, from: sender).send(message)
        #expect(!id.isEmpty)

        let smsMessage = try #require(NotificationTemplates.message(for: Events.succeeded(), channel: .sms, recipient: "+14155550123"))
        #expect(try !SNSSMSSender(sns: SNSClient(client: client)).send(smsMessage).isEmpty)
    }
}
