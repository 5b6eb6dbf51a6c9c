import Foundation
import TestSupport
import Platform

/// The minimal C bootstrap (bench/FloorBootstrap) beside ours: its start to first answer, and its
/// cost per invocation of next + response on one kept-alive loopback connection.
enum FloorBootstrapBenchmarks {
    static func coldStart(bootstrap: String, runs: Int) throws -> Double {
        try Benchmarks.coldStart(bootstrap: bootstrap, runs: runs, environment: ["FLOOR_SECRET": Benchmarks.secret])
    }

    /// Microseconds per invocation: wall time from the first `next` to the last response, `count`
    /// unsigned events (answered 400 at once), so what is left is the loop itself.
    static func loopOverhead(bootstrap: String, count: Int) throws -> Double {
        let event = #"{"version":"2.0","rawPath":"/webhooks/stripe","requestContext":{"http":{"method":"POST"}},"body":"{}"}"#
        let timing = LoopTiming(count: count)
        let server = try TestHTTPServer { request in
            if request.method == "GET" {
                guard let index = timing.handOut() else { usleep(200_000); return .init(status: 500) }
                return .init(status: 200, headers: ["Lambda-Runtime-Aws-Request-Id": "loop-\(index)", "Lambda-Runtime-Deadline-Ms": "0"], text: event)
            }
            timing.answered()
            return .init(status: 202)
        }
        defer { server.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bootstrap)
        process.environment = ["AWS_LAMBDA_RUNTIME_API": server.address, "FLOOR_SECRET": Benchmarks.secret, "FLOOR_LIMIT": String(count)]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard let elapsed = timing.elapsed else { throw BenchError("the C bootstrap answered \(timing.answers) of \(count)") }
        return elapsed.seconds / Double(count) * 1_000_000
    }
}

final class LoopTiming: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private var handed = 0
    private(set) var answers = 0
    private var first: ContinuousClock.Instant?
    private var last: ContinuousClock.Instant?

    init(count: Int) { self.count = count }

    func handOut() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard handed < count else { return nil }
        if handed == 0 { first = .now }
        handed += 1
        return handed
    }

    func answered() {
        lock.lock(); defer { lock.unlock() }
        answers += 1
        if answers == count { last = .now }
    }

    var elapsed: Duration? {
        lock.lock(); defer { lock.unlock() }
        guard let first, let last else { return nil }
        return last - first
    }
}
