/// Puts payment events on the bus: EventBridge in AWS, a local table in SQLite.
/// Publishing the same event twice must be harmless (consumers key on `detail.eventId`).
public protocol EventPublisher: Sendable {
    func publish(_ events: [PaymentEvent]) throws
}
