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
        OutboxDrain.run(batchSize: batchSize, logger: logger,
                        read: { try outbox.unpublishedServiceEvents(limit: $0) },
                        publish: { try publisher.publish(busEvents: $0) },
                        markPublished: { try outbox.markServiceEventsPublished(eventIDs: $0) })
    }
}
