/// A consumer service's outbox: its events, written in the same transaction as the change they
/// announce, until they are published. (The payments store's outbox is `OutboxStore`.)
public protocol ServiceEventOutbox: Sendable {
    func unpublishedServiceEvents(limit: Int) throws -> [ServiceEvent]
    func markServiceEventsPublished(eventIDs: [String]) throws
}
