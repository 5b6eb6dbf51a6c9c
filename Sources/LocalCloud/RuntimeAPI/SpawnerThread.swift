import Foundation

/// One long-lived thread that starts every child process.
///
/// Why: children are started under `setpriv --pdeathsig KILL`, and Linux sends the parent-death signal
/// when the *thread* that forked the child ends, not the process. Swift concurrency's and Dispatch's
/// worker threads come and go, so a child spawned from one of them could be killed at a random moment.
/// This thread lives as long as the emulator, so the signal fires exactly when the emulator dies.
final class SpawnerThread: @unchecked Sendable {
    static let shared = SpawnerThread()

    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "localcloud-spawner"
        thread.start()
    }

    /// Runs `body` on the spawner thread and returns its result (spawning takes a few milliseconds).
    func run<T>(_ body: @escaping () -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: T?
        condition.lock()
        jobs.append {
            result = body()
            done.signal()
        }
        condition.signal()
        condition.unlock()
        done.wait()
        return result!
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
