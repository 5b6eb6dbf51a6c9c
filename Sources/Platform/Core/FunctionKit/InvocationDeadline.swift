#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The deadline of the invocation being served, shared by the adapters built once at start (the
/// AWS clients stop retrying at it) and set by the runtime before each invocation.
public final class InvocationDeadline: Sendable {
    private let value = Mutex<Date?>(nil)

    public init() {}

    public var current: Date? { value.withLock { $0 } }

    /// `deadlineMilliseconds` as the Runtime API gives it, less `margin` seconds to answer in.
    public func begin(deadlineMilliseconds: Int64?, margin: Double = 0.5) {
        value.withLock { $0 = deadlineMilliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000 - margin) } }
    }
}
