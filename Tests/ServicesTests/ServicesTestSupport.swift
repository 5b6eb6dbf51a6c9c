import Foundation
import Synchronization
import PaymentsCore
import Platform

/// Payment events and the SQS records that carry them, as EventBridge, SNS and Lambda deliver them.
enum Events {
    static let start = Date(timeIntervalSince1970: 1_764_000_000)

    /// The event a payment's transition to `state` publishes.
    static func payment(_ id: String = "pay_1", order: String = "ord_1", amount: Int = 2500, currency: String = "EUR",
                        state: PaymentState, version: Int = 2, email: String? = "buyer@example.com",
                        phone: String? = "+14155550123", at offset: Double = 0) -> PaymentEvent {
        let payment = Payment(id: id, orderID: order, provider: "stripe", providerReference: "pi_\(id)",
                              amount: Money(minorUnits: amount, currency: Currency(code: currency)!), state: state,
                              customerEmail: email, customerPhone: phone, createdAt: start, version: version)
        return PaymentEvent(transition: payment, from: .pending, at: start.addingTimeInterval(offset))
    }

    static func succeeded(_ id: String = "pay_1", order: String = "ord_1", amount: Int = 2500, version: Int = 2) -> PaymentEvent {
        payment(id, order: order, amount: amount, state: PaymentState(progress: .succeeded), version: version)
    }

    static func refunded(_ id: String = "pay_1", order: String = "ord_1", amount: Int = 2500, total: Int, version: Int = 3) -> PaymentEvent {
        payment(id, order: order, amount: amount, state: PaymentState(progress: .succeeded, refundedMinorUnits: total), version: version)
    }

    static func disputed(_ dispute: PaymentState.Dispute, id: String = "pay_1", order: String = "ord_1", version: Int = 4) -> PaymentEvent {
        payment(id, order: order, state: PaymentState(progress: .succeeded, dispute: dispute), version: version)
    }

    /// The envelope EventBridge delivers to a queue.
    static func envelope(_ event: PaymentEvent) -> String {
        var object = try! JSONSerialization.jsonObject(with: Data(event.json())) as! [String: Any]
        object["id"] = "eb-\(event.id)"
        object["version"] = "0"
        object["account"] = "123456789012"
        object["region"] = "eu-west-1"
        object["resources"] = [String]()
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The same, inside SNS's notification (a subscription without RawMessageDelivery).
    static func snsWrapped(_ event: PaymentEvent) -> String {
        let object: [String: Any] = ["Type": "Notification", "MessageId": UUID().uuidString, "TopicArn": "arn:aws:sns:eu-west-1:123456789012:shop-notification",
                                     "Message": envelope(event), "Timestamp": "2025-11-24T16:00:00.000Z", "SignatureVersion": "1"]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func record(_ body: String, id: String? = nil, queue: String = "shop-delivery", receiveCount: Int = 1) -> SQSBatch.Message {
        SQSBatch.Message(messageId: id ?? UUID().uuidString, body: body, attributes: ["ApproximateReceiveCount": String(receiveCount)],
                         eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:\(queue)")
    }

    static func batch(_ events: [PaymentEvent], queue: String = "shop-delivery") -> SQSBatch {
        SQSBatch(records: events.map { record(envelope($0), id: "m-\($0.id)", queue: queue) })
    }
}

func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).sqlite").path
}

/// A clock that moves one millisecond per reading, so stored times differ; sleeping is recorded.
final class SteppingClock: WallClock, Sendable {
    private let instant = Mutex(Events.start)
    func now() -> Date { instant.withLock { $0 = $0.addingTimeInterval(0.001); return $0 } }
    func sleep(seconds: Double) {}
}

/// Keeps every log line, so that a test can check what was (and was not) written.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var logger: Logger { Logger(function: "test") { line in self.lines.withLock { $0.append(line) } } }
    var text: String { all.joined(separator: "\n") }
}

func context(_ logs: LogLines = LogLines()) -> InvocationContext {
    InvocationContext(requestID: "test", logger: logs.logger)
}
