/// Puts events on the bus: EventBridge in AWS, a local table in SQLite.
/// Publishing the same event twice must be harmless (consumers key on `detail.eventId`).
public protocol EventPublisher: Sendable {
    /// Publishes what it can and says, per event, what was not published: EventBridge's PutEvents
    /// fails entry by entry, so one refused event must not hold back (or repeat) the others.
    /// Throws only when nothing could be attempted (the bus is unreachable).
    @discardableResult
    func publish(_ events: [EncodedEvent]) throws -> PublishResult
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
