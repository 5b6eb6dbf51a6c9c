/// The `outbox-relay` function: fed by a store's DynamoDB stream (the payments table's, or a consumer's:
/// deployed once per table, with PAYMENTS_STORE naming that table), it publishes each new outbox
/// item to the bus and then removes it. The stream carries the transactional outbox, so an event
/// written with its change is published even if the function that wrote it died right after.
///
/// Records the bus refuses, and outbox items it cannot remove, are reported as batch item failures:
/// Lambda retries from the first of them (the records after it come again too, and are published
/// again, which consumers absorb by `detail.eventId`). Every other record of the stream (payment
/// changes, lookups, the removals this relay makes) is acknowledged untouched.
public struct OutboxStreamRelay: DynamoDBStreamHandler {
    public var publisher: any EventPublisher
    public var outbox: any OutboxStore

    public init(publisher: any EventPublisher, outbox: any OutboxStore) {
        self.publisher = publisher
        self.outbox = outbox
    }

    public static let definition = FunctionDefinition(name: "outbox-relay", trigger: .dynamoDBStream) { dependencies in
        guard let publisher = dependencies.publisher, let outbox = dependencies.outbox else {
            throw ConfigurationError("outbox-relay needs PAYMENTS_STORE and PAYMENTS_EVENTS (the store's outbox and the bus)")
        }
        return .dynamoDBStream(OutboxStreamRelay(publisher: publisher, outbox: outbox))
    }

    public func handle(_ batch: DynamoDBStreamBatch, context: InvocationContext) throws -> BatchResponse {
        var failed: [String] = []
        var pending: [(sequence: String, event: any BusEvent)] = []
        for record in batch.records where record.change == .insert && record.newString("type") == "outbox" {
            guard let text = record.newString("event"), let event = Self.event(Array(text.utf8)) else {
                // It can never be published: after the mapping's retries it goes to the on-failure destination.
                context.logger.error("unreadable outbox item", ["sequenceNumber": record.sequenceNumber])
                failed.append(record.sequenceNumber)
                continue
            }
            pending.append((record.sequenceNumber, event))
        }
        guard !pending.isEmpty else { return BatchResponse(failedItems: failed) }

        let result: PublishResult
        do {
            result = try publisher.publish(busEvents: pending.map(\.event))
        } catch {
            context.logger.warning("publishing failed; the batch is retried", ["error": String(describing: error)])
            return BatchResponse(failedItems: failed + pending.map(\.sequence))
        }
        for (id, reason) in result.failures.sorted(by: { $0.key < $1.key }) {
            context.logger.warning("the bus refused an event; it is retried", ["eventId": id, "reason": reason])
        }
        let published = pending.filter { result.failures[$0.event.id] == nil }
        failed += pending.filter { result.failures[$0.event.id] != nil }.map(\.sequence)
        do {
            try outbox.markPublished(eventIDs: published.map(\.event.id))
        } catch {
            // Published but still in the outbox: publishing again is harmless, leaving it is not tidy.
            context.logger.warning("published events could not be removed from the outbox; retried", ["error": String(describing: error)])
            failed += published.map(\.sequence)
        }
        context.logger.info("outbox relayed", ["published": String(published.count), "failed": String(failed.count)])
        return BatchResponse(failedItems: failed)
    }

    /// A payment event, or another service's (the same relay serves the Delivery and Notification
    /// tables' streams, whose outbox items have the same shape).
    static func event(_ bytes: [UInt8]) -> (any BusEvent)? {
        if let payment = try? PaymentEvent(json: bytes), payment.source == PaymentEvent.source { return payment }
        return try? ServiceEvent(json: bytes)
    }
}
