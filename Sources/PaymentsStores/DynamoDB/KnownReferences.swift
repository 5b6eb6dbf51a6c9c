import Synchronization
import Platform
import AWSClients

/// Provider references this process has seen stored on a payment. Every write that sets a reference also
/// writes its REFERENCE item in the same transaction, so a reference read back from a payment item has
/// its lookup item already, and the next update need not write it again (one item fewer per webhook).
/// Forgetting is always safe: an unknown reference is simply written again under a condition.
final class KnownReferences: Sendable {
    private let entries = Mutex<Set<String>>([])
    /// Past this many the set starts over, so that a long-lived process does not grow without bound.
    let capacity: Int

    init(capacity: Int = 10_000) { self.capacity = capacity }

    func contains(paymentID: String, reference: String) -> Bool {
        entries.withLock { $0.contains(Self.key(paymentID, reference)) }
    }

    func insert(paymentID: String, reference: String?) {
        guard let reference else { return }
        entries.withLock { set in
            if set.count >= capacity { set.removeAll(keepingCapacity: true) }
            set.insert(Self.key(paymentID, reference))
        }
    }

    private static func key(_ paymentID: String, _ reference: String) -> String { paymentID + "\u{0}" + reference }
}
