/// The handler of `outbox-relay`: fed by a table's DynamoDB stream (any service's table: the outbox
/// items have one shape), it publishes each new outbox item's event, verbatim, and then removes the
/// item. The stream carries the transactional outbox, so an event written with its change is published
/// even if the function that wrote it died right after.
///
/// Records the bus refuses, and outbox items it cannot remove, are reported as batch item failures:
/// Lambda retries from the first of them, so the records after it come again. Those already published
/// have had their outbox item removed and are skipped, so an event is published twice only where an
/// answer was lost after the bus took it (consumers absorb that by `detail.eventId`). Every other record
/// of the stream (the service's own items, the removals this relay makes) is acknowledged untouched.
public struct OutboxStreamRelay: DynamoDBStreamHandler {
    public var publisher: any EventPublisher
    public var outbox: any StreamedOutbox

    public init(publisher: any EventPublisher, outbox: any StreamedOutbox) {
        self.publisher = publisher
        self.outbox = outbox
    }

    public func handle(_ batch: DynamoDBStreamBatch, context: InvocationContext) throws -> BatchResponse {
        var failed: [String] = []
        var pending: [(sequence: String, event: EncodedEvent)] = []
        for record in batch.records where record.change == .insert && record.newString("type") == "outbox" {
            guard let text = record.newString("event"), let event = try? EncodedEvent(json: Array(text.utf8)) else {
                // It can never be published: after the mapping's retries it goes to the on-failure destination.
                context.logger.error("unreadable outbox item", ["sequenceNumber": record.sequenceNumber])
                failed.append(record.sequenceNumber)
                continue
            }
            pending.append((record.sequenceNumber, event))
        }
        guard !pending.isEmpty else { return BatchResponse(failedItems: failed) }

        do {
            let waiting = try outbox.unpublishedEventIDs(among: pending.map(\.event.id))
            let seenBefore = pending.count
            pending = pending.filter { waiting.contains($0.event.id) }
            if pending.count < seenBefore {
                context.logger.info("records already published skipped", ["skipped": String(seenBefore - pending.count)])
            }
        } catch {
            context.logger.warning("the outbox could not be read; the batch is retried", ["error": String(describing: error)])
            return BatchResponse(failedItems: failed + pending.map(\.sequence))
        }
        guard !pending.isEmpty else { return BatchResponse(failedItems: failed) }

        let result: PublishResult
        do {
            result = try publisher.publish(pending.map(\.event))
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
}
