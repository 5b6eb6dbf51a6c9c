/// Moves events from an outbox to the bus, after a function has answered (where no stream carries
/// the outbox), so the caller never waits for the bus. A failed publish leaves the events in the
/// outbox for the next drain: an event is never lost; it may be published twice, which consumers
/// absorb by its id.
public struct OutboxDrain: Sendable {
    public var outbox: any Outbox
    public var publisher: any EventPublisher
    public var batchSize: Int

    public init(outbox: any Outbox, publisher: any EventPublisher, batchSize: Int = 10) {
        self.outbox = outbox
        self.publisher = publisher
        self.batchSize = batchSize
    }

    /// Publishes until the outbox is empty or publishing fails; returns how many were published.
    /// Read a batch, publish it, remove what the bus took; stop at the first refusal or failure.
    @discardableResult
    public func run(logger: Logger) -> Int {
        var published = 0
        while true {
            do {
                let events = try outbox.unpublished(limit: batchSize)
                guard !events.isEmpty else { return published }
                let result = try publisher.publish(events)
                let done = events.map(\.id).filter { result.failures[$0] == nil }
                try outbox.markPublished(eventIDs: done)
                published += done.count
                if !result.failures.isEmpty {
                    for (id, reason) in result.failures.sorted(by: { $0.key < $1.key }) {
                        logger.warning("the bus refused an event; it stays in the outbox", ["eventId": id, "reason": reason])
                    }
                    return published
                }
            } catch {
                logger.warning("publishing events failed; they stay in the outbox", ["error": String(describing: error)])
                return published
            }
        }
    }
}
