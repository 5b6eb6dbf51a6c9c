/// Publishes a consumer service's outbox after its batch is answered, as `OutboxRelay` does for
/// payments where the store has no stream (SQLite). A refused or failed publish leaves the events
/// for the next drain: never lost, possibly published twice, which readers absorb by event id.
public struct ServiceOutboxRelay: Sendable {
    public var outbox: any ServiceEventOutbox
    public var publisher: any EventPublisher
    public var batchSize: Int

    public init(outbox: any ServiceEventOutbox, publisher: any EventPublisher, batchSize: Int = 10) {
        self.outbox = outbox
        self.publisher = publisher
        self.batchSize = batchSize
    }

    /// Publishes until the outbox is empty or publishing fails; returns how many were published.
    @discardableResult
    public func drain(logger: Logger) -> Int {
        var published = 0
        while true {
            do {
                let events = try outbox.unpublishedServiceEvents(limit: batchSize)
                guard !events.isEmpty else { return published }
                let result = try publisher.publish(busEvents: events)
                let done = events.map(\.id).filter { result.failures[$0] == nil }
                try outbox.markServiceEventsPublished(eventIDs: done)
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
