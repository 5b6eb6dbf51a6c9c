import Platform

/// Where payments live: SQLite locally, DynamoDB in AWS.
///
/// Every status change is written together with its event (the outbox) in one atomic step,
/// so an event can neither be lost nor exist without the change it announces.
public protocol PaymentStore: Sendable {
    /// Stores `payment` under (`payment.provider`, `idempotencyKey`) unless that key is taken,
    /// in which case the payment first stored under it is returned with the fingerprint of its request.
    func create(_ payment: Payment, idempotencyKey: String, requestFingerprint: String) throws -> CreateResult

    func payment(id: String) throws -> Payment?
    func payment(provider: String, reference: String) throws -> Payment?

    /// Replaces the stored payment if its version is still `expectedVersion`, and appends `events`
    /// to the outbox in the same transaction. Returns false, writing nothing, when the version moved on.
    func update(_ payment: Payment, expectedVersion: Int, events: [PaymentEvent]) throws -> Bool

    /// Runs `body` with a view of this store in which its reads and writes are one transaction, where
    /// the store has such transactions (SQLite: one write transaction, so a read costs no transaction of
    /// its own). Elsewhere (DynamoDB) `body` gets the store itself and every write stays conditional on
    /// the version read, so the outcome is the same. Use only the view inside `body`.
    func inOneTransaction<T>(_ body: (any PaymentStore) throws -> T) throws -> T
}

extension PaymentStore {
    public func inOneTransaction<T>(_ body: (any PaymentStore) throws -> T) throws -> T { try body(self) }

    /// Stores a change made to the latest version of `payment`, optimistically: when another writer
    /// stored a newer version first, the payment is read again and `change` made anew, at most
    /// `attempts` times, after which the error reaches the caller (and a provider retries).
    /// `change` returns nil when there is nothing to write. Returns what was stored, or nil.
    @discardableResult
    public func update(
        _ payment: Payment, attempts: Int = 5,
        change: (Payment) throws -> (payment: Payment, events: [PaymentEvent])?
    ) throws -> Payment? {
        var current = payment
        for _ in 0..<attempts {
            guard let next = try change(current) else { return nil }
            if try update(next.payment, expectedVersion: current.version, events: next.events) { return next.payment }
            guard let reloaded = try self.payment(id: payment.id) else { throw StoreError("payment \(payment.id) vanished") }
            current = reloaded
        }
        throw StoreError("payment \(payment.id) kept changing; giving up so that the caller retries")
    }
}

public enum CreateResult: Sendable, Equatable {
    case created(Payment)
    case existing(Payment, requestFingerprint: String)
}

/// A payments store's outbox, also read as payment events (tooling and tests; the drain and the relay
/// pass the encoded events on untouched).
public protocol PaymentOutbox: Outbox {
    func unpublishedEvents(limit: Int) throws -> [PaymentEvent]
}
