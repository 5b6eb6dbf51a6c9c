#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Time as the service sees it; tests fix it to check replay windows and retries.
public protocol WallClock: Sendable {
    func now() -> Date
    func sleep(seconds: Double)
}
