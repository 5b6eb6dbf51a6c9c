/// A store's outbox: events written in the same transaction as the change they announce, kept until
/// published. Every service's store has one, of the same shape.
public protocol Outbox: Sendable {
    /// The oldest unpublished events, at most `limit`.
    func unpublished(limit: Int) throws -> [EncodedEvent]
    /// Removes the published events; an unknown id is no error.
    func markPublished(eventIDs: [String]) throws
}

/// An outbox a stream carries (DynamoDB), whose relay may see a record again after it was published.
public protocol StreamedOutbox: Outbox {
    /// Which of `eventIDs` still wait in the outbox: an event already removed was published.
    func unpublishedEventIDs(among eventIDs: [String]) throws -> Set<String>
}
