import Foundation
import Testing
import PaymentsCore
import Platform

/// Reading a consumer's SQS record: an EventBridge envelope, raw or inside SNS's notification, then the
/// payment event it carries, strictly. Every refusal names the rule and never quotes the content.
@Suite struct EventBridgeEnvelopeTests {
    static let start = Date(timeIntervalSince1970: 1_764_000_000.5)

    static func event() -> PaymentEvent {
        let payment = Payment(id: "pay_1", orderID: "ord_1", provider: "stripe", providerReference: "pi_1",
                              amount: Money(minorUnits: 2500, currency: Currency(code: "EUR")!),
                              state: PaymentState(progress: .succeeded), customerEmail: "secret-buyer@example.com",
                              customerPhone: "+14155550123", createdAt: start, version: 3)
        return PaymentEvent(transition: payment, from: .pending, at: start)
    }

    /// The envelope EventBridge delivers: the event's one JSON encoding plus id, version, account, region, resources.
    static func envelope(_ event: PaymentEvent = event(), edit: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        var object = try JSONSerialization.jsonObject(with: Data(event.json())) as! [String: Any]
        object["id"] = "0b3e1c8a-1111-2222-3333-444455556666"
        object["version"] = "0"
        object["account"] = "123456789012"
        object["region"] = "eu-west-1"
        object["resources"] = [String]()
        edit(&object)
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func sns(_ message: String, type: String = "Notification") throws -> String {
        let object: [String: Any] = ["Type": type, "MessageId": "m-1", "TopicArn": "arn:aws:sns:eu-west-1:123456789012:shop-notification",
                                     "Message": message, "Timestamp": "2025-11-24T16:00:00.500Z", "SignatureVersion": "1"]
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func aRawEnvelopeGivesBackTheEventExactly() throws {
        let envelope = try EventBridgeEnvelope(sqsBody: Self.envelope())
        #expect(envelope.id == "0b3e1c8a-1111-2222-3333-444455556666")
        #expect(!envelope.viaSNS)
        #expect(try PaymentEvent(envelope: envelope) == Self.event())
    }

    @Test func anSNSNotificationAroundTheEnvelopeGivesTheSameEvent() throws {
        let envelope = try EventBridgeEnvelope(sqsBody: Self.sns(Self.envelope()))
        #expect(envelope.viaSNS)
        #expect(try PaymentEvent(envelope: envelope) == Self.event())
    }

    /// Each body carries a customer's address, most often where the fault is, so that a refusal quoting
    /// the body would show it.
    static let badBodies: [(String, String)] = [
        ("not JSON", "hello secret-buyer@example.com"),
        ("a JSON array", #"["secret-buyer@example.com",2]"#),
        ("a repeated key", #"{"id":"secret-buyer@example.com","id":"b"}"#),
        ("an SNS confirmation", #"{"Type":"SubscriptionConfirmation","TopicArn":"arn","Message":"{\"customerEmail\":\"secret-buyer@example.com\"}"}"#),
        ("SNS without Message", #"{"Type":"Notification","TopicArn":"arn","Subject":"secret-buyer@example.com"}"#),
        ("SNS Message not JSON", #"{"Type":"Notification","TopicArn":"arn","Message":"secret-buyer@example.com"}"#),
        ("SNS Message not an object", #"{"Type":"Notification","TopicArn":"arn","Message":"[\"secret-buyer@example.com\"]"}"#),
        ("no id", #"{"source":"shop.payments","detail-type":"PaymentSucceeded","time":"2025-11-24T16:00:00Z","detail":{"customerEmail":"secret-buyer@example.com"}}"#),
        ("no detail", #"{"id":"1","source":"shop.payments","detail-type":"PaymentSucceeded","time":"2025-11-24T16:00:00Z","resources":["secret-buyer@example.com"]}"#),
        ("detail a string", #"{"id":"1","source":"shop.payments","detail-type":"PaymentSucceeded","time":"2025-11-24T16:00:00Z","detail":"secret-buyer@example.com"}"#),
        ("time not RFC 3339", #"{"id":"1","source":"shop.payments","detail-type":"PaymentSucceeded","time":"secret-buyer@example.com","detail":{}}"#),
        ("source a number", #"{"id":"1","source":7,"detail-type":"PaymentSucceeded","time":"2025-11-24T16:00:00Z","detail":{"customerEmail":"secret-buyer@example.com"}}"#),
        ("empty detail-type", #"{"id":"1","source":"shop.payments","detail-type":"","time":"2025-11-24T16:00:00Z","detail":{"customerEmail":"secret-buyer@example.com"}}"#),
    ]

    @Test(arguments: badBodies.indices)
    func aBodyThatIsNoEnvelopeIsRefusedWithoutItsContent(index: Int) {
        let (name, body) = Self.badBodies[index]
        #expect(body.contains("secret-buyer@example.com"), "\(name): the body must hold the content the refusal must not quote")
        #expect(throws: UnreadableRecord.self, "\(name)") { try EventBridgeEnvelope(sqsBody: body) }
        do { _ = try EventBridgeEnvelope(sqsBody: body) } catch {
            #expect(!error.reason.contains("secret-buyer"), "\(name): \(error.reason)")
        }
    }

    @Test func aBodyOverSQSsLimitIsRefusedBeforeParsing() {
        let body = #"{"x":""# + String(repeating: "a", count: EventBridgeEnvelope.maximumBodyBytes) + #""}"#
        #expect(throws: UnreadableRecord("the body is \(body.utf8.count) bytes, more than SQS's 262144")) { try EventBridgeEnvelope(sqsBody: body) }
    }

    /// Each damage, and the field the refusal must name (as the reason writes it).
    static let badEvents: [(String, String, @Sendable (inout [String: Any]) -> Void)] = [
        ("another source", "source", { $0["source"] = "shop.delivery" }),
        ("an unknown detail-type", "detail-type", { $0["detail-type"] = "PaymentTeleported" }),
        ("no eventId", "'eventId'", { Self.detail(&$0) { $0["eventId"] = nil } }),
        ("eventId a number", "'eventId'", { Self.detail(&$0) { $0["eventId"] = 7 } }),
        ("no orderId", "'orderId'", { Self.detail(&$0) { $0["orderId"] = nil } }),
        ("amount a string", "'amount'", { Self.detail(&$0) { $0["amount"] = "2500" } }),
        ("amount with a fraction", "'amount'", { Self.detail(&$0) { $0["amount"] = 25.5 } }),
        ("amount negative", "'amount'", { Self.detail(&$0) { $0["amount"] = -1 } }),
        ("unknown currency", "'currency'", { Self.detail(&$0) { $0["currency"] = "ZZZ" } }),
        ("unknown status", "'status'", { Self.detail(&$0) { $0["status"] = "teleported" } }),
        ("no status", "'status'", { Self.detail(&$0) { $0["status"] = nil } }),
        ("refundedAmount missing", "'refundedAmount'", { Self.detail(&$0) { $0["refundedAmount"] = nil } }),
        ("version a string", "'version'", { Self.detail(&$0) { $0["version"] = "3" } }),
        ("customerEmail a number", "'customerEmail'", { Self.detail(&$0) { $0["customerEmail"] = 5 } }),
        ("customerPhone empty", "'customerPhone'", { Self.detail(&$0) { $0["customerPhone"] = "" } }),
        ("detail time malformed", "'time'", { Self.detail(&$0) { $0["time"] = "soon" } }),
    ]

    static func detail(_ envelope: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var detail = envelope["detail"] as! [String: Any]
        edit(&detail)
        envelope["detail"] = detail
    }

    @Test(arguments: badEvents.indices)
    func anEnvelopeThatIsNoPaymentEventIsRefusedNamingTheField(index: Int) throws {
        let (name, field, edit) = Self.badEvents[index]
        let envelope = try EventBridgeEnvelope(sqsBody: Self.envelope(edit: edit))
        #expect(throws: UnreadableRecord.self, "\(name)") { try PaymentEvent(envelope: envelope) }
        do { _ = try PaymentEvent(envelope: envelope) } catch {
            #expect(!error.reason.contains("secret-buyer") && !error.reason.contains("4155550123"), "\(name): \(error.reason)")
            #expect(error.reason.contains(field), "\(name): \(error.reason) does not name \(field)")
        }
    }
}
