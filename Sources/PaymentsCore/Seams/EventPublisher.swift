/// Puts events on the bus: EventBridge in AWS, a local table in SQLite.
/// Publishing the same event twice must be harmless (consumers key on `detail.eventId`).
public protocol EventPublisher: Sendable {
    /// Publishes what it can and says, per event, what was not published: EventBridge's PutEvents
    /// fails entry by entry, so one refused event must not hold back (or repeat) the others.
    /// Throws only when nothing could be attempted (the bus is unreachable).
    @discardableResult
    func publish(_ events: [PaymentEvent]) throws -> PublishResult

    /// The same for events of any service (a consumer's `ServiceEvent`s relayed from its outbox).
    /// Buses that carry every source (EventBridge, the local bus) implement it; the default passes
    /// payment events on to `publish(_:)` and reports any other event as not published.
    @discardableResult
    func publish(busEvents events: [any BusEvent]) throws -> PublishResult
}

extension EventPublisher {
    public func publish(busEvents events: [any BusEvent]) throws -> PublishResult {
        let payments = events.compactMap { $0 as? PaymentEvent }
        var result = payments.isEmpty ? PublishResult() : try publish(payments)
        for event in events where !(event is PaymentEvent) {
            result.failures[event.id] = "this publisher carries payment events only, not \(event.source)"
        }
        return result
    }
}

/// The outcome of one publish call.
public struct PublishResult: Sendable, Equatable {
    /// Event ids the bus did not take, with its reason; every other event was published.
    public var failures: [String: String]

    public init(failures: [String: String] = [:]) {
        self.failures = failures
    }

    public static let allPublished = PublishResult()
}
