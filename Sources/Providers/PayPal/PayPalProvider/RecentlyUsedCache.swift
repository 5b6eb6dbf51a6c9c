import Platform

/// A cache of at most `capacity` entries that, when full, drops only its least recently used entry.
/// Emptying a full cache instead would let anyone who can add entries push out the ones in use.
/// Small by design (PayPal has a handful of certificates): lookups are linear in `capacity`.
struct RecentlyUsedCache<Value> {
    let capacity: Int
    private var entries: [String: Value] = [:]
    /// Keys, least recently used first.
    private var order: [String] = []

    init(capacity: Int) {
        precondition(capacity > 0, "a cache holds at least one entry")
        self.capacity = capacity
    }

    var count: Int { entries.count }
    var keys: [String] { order }

    /// The value, now the most recently used.
    mutating func value(for key: String) -> Value? {
        guard let value = entries[key] else { return nil }
        touch(key)
        return value
    }

    /// Stores the value as the most recently used; answers the key it evicted to make room, if any.
    @discardableResult
    mutating func insert(_ value: Value, for key: String) -> String? {
        if entries.updateValue(value, forKey: key) != nil {
            touch(key)
            return nil
        }
        order.append(key)
        guard entries.count > capacity else { return nil }
        let evicted = order.removeFirst()
        entries[evicted] = nil
        return evicted
    }

    mutating func remove(_ key: String) {
        guard entries.removeValue(forKey: key) != nil else { return }
        order.removeAll { $0 == key }
    }

    private mutating func touch(_ key: String) {
        if let index = order.firstIndex(of: key) { order.remove(at: index) }
        order.append(key)
    }
}
