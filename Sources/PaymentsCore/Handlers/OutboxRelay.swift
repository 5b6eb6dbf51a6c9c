/// Moves events from the outbox to the bus. Runs after a function has answered, so the caller
/// never waits for the bus. A failed publish leaves the events in the outbox for the next drain:
/// an event is never lost; it may be published twice, which consumers absorb by its id.
public struct OutboxRelay: Sendable {
    public var outbox: any OutboxStore
    public var publisher: any EventPublisher
    public var batchSize: Int

    public init(outbox: any OutboxStore, publisher: any EventPublisher, batchSize: Int = 10) {
        self.outbox = outbox
        self.publisher = publisher
        self.batchSize = batchSize
    }

    /// Publishes until the outbox is empty or publishing fails; returns how many were published.
    @discardableResult
    public func drain(logger: Logger) -> Int {
        OutboxDrain.run(batchSize: batchSize, logger: logger,
                        read: { try outbox.unpublishedEvents(limit: $0) },
                        publish: { try publisher.publish($0) },
                        markPublished: { try outbox.markPublished(eventIDs: $0) })
    }
}

/// The drain loop every outbox shares (the payments outbox, a consumer's own): read a batch, publish
/// it, remove what the bus took; stop at the first refusal or failure, leaving the rest for next time.
enum OutboxDrain {
    static func run<Event: BusEvent>(
        batchSize: Int, logger: Logger,
        read: (Int) throws -> [Event], publish: ([Event]) throws -> PublishResult, markPublished: ([String]) throws -> Void
    ) -> Int {
        var published = 0
        while true {
            do {
                let events = try read(batchSize)
                guard !events.isEmpty else { return published }
                let result = try publish(events)
                let done = events.map(\.id).filter { result.failures[$0] == nil }
                try markPublished(done)
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
