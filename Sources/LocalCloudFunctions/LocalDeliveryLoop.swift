import Platform
import LocalCloud
import Synchronization

/// The local bus at work under `payments serve`: every `interval` it publishes what the payments outbox
/// still holds, then hands what the bus holds to the consumers the rules name (`LocalEventDelivery`,
/// whose consumers run through whatever invoker it was given: the emulator with the real binaries).
public final class LocalDeliveryLoop: Sendable {
    private let stopping = Mutex(false)
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    private init() {}

    public static func start(_ delivery: LocalEventDelivery, interval: Duration = .milliseconds(100)) -> LocalDeliveryLoop {
        let loop = LocalDeliveryLoop()
        let task = Task {
            while !loop.stopping.withLock({ $0 }) {
                await delivery.publishOutbox()
                await delivery.deliver()
                try? await Task.sleep(for: interval)
            }
        }
        loop.task.withLock { $0 = task }
        return loop
    }

    /// Stops after the hand-off in progress, if any (not by cancelling it: a consumer's invocation runs to its end).
    public func stop() async {
        stopping.withLock { $0 = true }
        await task.withLock({ $0 })?.value
    }
}
