import BenchFloor
import Foundation
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
import StripeProvider

/// Our webhook path beside the C floor (bench/Floor), on the same deliveries, with the same clocks.
enum FloorBenchmarks {
    struct Costs {
        var oursWall: Double
        var oursCPU: Double
        var floorWall: Double
        var floorCPU: Double
        /// The CPU time's user and kernel parts (getrusage), from the round with the least CPU time:
        /// the kernel's part is the SQLite file locks and writes both sides make.
        var oursUser = 0.0, oursSystem = 0.0, floorUser = 0.0, floorSystem = 0.0
    }

    /// Microseconds per event, wall and CPU, ours and the floor's; the best of `rounds` alternating runs,
    /// so that a burst of load on the machine penalises neither side alone.
    static func compare(count: Int, rounds: Int = 3) throws -> Costs {
        var best = Costs(oursWall: .infinity, oursCPU: .infinity, floorWall: .infinity, floorCPU: .infinity)
        for _ in 0..<rounds {
            let now = Int(Date().timeIntervalSince1970)
            let deliveries = (0..<count).map { Benchmarks.signedDelivery(index: $0, now: now) }

            let store = try SQLitePaymentStore(path: Benchmarks.temporaryStorePath())
            try Benchmarks.seed(store, count: count)
            let function = WebhookFunction(authenticator: StripeWebhookAuthenticator(signature: StripeSignature(secrets: [Benchmarks.secret])),
                                           store: store, clock: SystemClock())
            let context = InvocationContext(requestID: "bench", logger: .discarding)
            let ours = try Both.measure {
                for delivery in deliveries {
                    let response = try function.handle(delivery, context: context)
                    precondition(response.statusCode == 200, "benchmark event refused: \(response.body ?? "")")
                }
            }
            let written = try store.unpublishedEvents(limit: count + 1).count
            precondition(written == count, "every event must be a transition")

            let path = Benchmarks.temporaryStorePath()
            guard floor_prepare(path, Int32(count)) == 0 else { throw BenchError("the C floor could not create its store") }
            let bodies = deliveries.map { strdup($0.body ?? "") }
            let signatures = deliveries.map { strdup($0.header("stripe-signature") ?? "") }
            defer { (bodies + signatures).forEach { free($0) } }
            var stored: Int32 = 0
            let floor = Both.measure {
                bodies.map { UnsafePointer($0) }.withUnsafeBufferPointer { bodyPointers in
                    signatures.map { UnsafePointer($0) }.withUnsafeBufferPointer { signaturePointers in
                        stored = floor_run(path, bodyPointers.baseAddress, signaturePointers.baseAddress, Int32(count), Benchmarks.secret, now)
                    }
                }
            }
            precondition(stored == Int32(count), "the C floor stored \(stored) of \(count)")

            let perEvent = { (duration: Duration) in duration.seconds / Double(count) * 1_000_000 }
            best.oursWall = min(best.oursWall, perEvent(ours.wall))
            best.floorWall = min(best.floorWall, perEvent(floor.wall))
            if perEvent(ours.cpu) < best.oursCPU {
                (best.oursCPU, best.oursUser, best.oursSystem) = (perEvent(ours.cpu), perEvent(ours.user), perEvent(ours.system))
            }
            if perEvent(floor.cpu) < best.floorCPU {
                (best.floorCPU, best.floorUser, best.floorSystem) = (perEvent(floor.cpu), perEvent(floor.user), perEvent(floor.system))
            }
        }
        return best
    }
}

/// Wall time (CLOCK_MONOTONIC) and the thread's CPU time, with its user and kernel parts, read
/// together around the same work.
enum Both {
    static func measure(_ body: () throws -> Void) rethrows -> (wall: Duration, cpu: Duration, user: Duration, system: Duration) {
        let wallStart = monotonic()
        let cpuStart = CPUClock.now()
        let usageStart = threadUsage()
        try body()
        let usageEnd = threadUsage()
        return (monotonic() - wallStart, CPUClock.now() - cpuStart,
                duration(usageEnd.ru_utime) - duration(usageStart.ru_utime), duration(usageEnd.ru_stime) - duration(usageStart.ru_stime))
    }

    static func threadUsage() -> rusage {
        var usage = rusage()
        getrusage(__rusage_who_t(1), &usage)  // RUSAGE_THREAD, which Glibc's module does not export by name
        return usage
    }

    static func duration(_ time: timeval) -> Duration { .seconds(time.tv_sec) + .microseconds(time.tv_usec) }

    static func monotonic() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }
}
