#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Time as the service sees it; tests fix it to check replay windows and retries.
public protocol WallClock: Sendable {
    func now() -> Date
    func sleep(seconds: Double)
}

public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        usleep(useconds_t(min(seconds, 60) * 1_000_000))
    }
}
