import Foundation
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
import TestSupport

/// Resident memory of a bootstrap serving many invocations through the Runtime API, as in Lambda:
/// its peak, and whether it grows between the first thousand invocations and the last.
enum MemoryBenchmarks {
    struct Usage {
        var peakMB: Double
        var afterFirstThousandMB: Double
        var atEndMB: Double
        var growthMB: Double { atEndMB - afterFirstThousandMB }
    }

    /// `stripe-webhook` on `count` distinct signed deliveries for stored payments: real transitions.
    static func stripeWebhook(bootstrap: String, count: Int) throws -> Usage {
        let path = Benchmarks.temporaryStorePath()
        try Benchmarks.seed(try SQLitePaymentStore(path: path), count: count)
        let now = Int(Date().timeIntervalSince1970)
        let events = (0..<count).map { index in
            String(decoding: try! JSONEncoder().encode(Benchmarks.signedDelivery(index: index, now: now)), as: UTF8.self)
        }
        return try run(bootstrap: bootstrap, events: events, environment: [
            "STRIPE_WEBHOOK_SECRET": Benchmarks.secret, "PAYMENTS_STORE": "sqlite:\(path)",
        ], expect: "\"statusCode\":200")
    }

    /// Any function on `count` copies of a cheap event (an unknown payment, an unsigned webhook).
    static func function(bootstrap: String, event: String, count: Int, environment: [String: String], expect: String) throws -> Usage {
        try run(bootstrap: bootstrap, events: Array(repeating: event, count: count),
                environment: environment.merging(["PAYMENTS_STORE": "sqlite:\(Benchmarks.temporaryStorePath())"]) { $1 }, expect: expect)
    }

    static func run(bootstrap: String, events: [String], environment: [String: String], expect: String) throws -> Usage {
        let state = Feed(events: events)
        let server = try TestHTTPServer { request in
            if request.method == "GET" {
                guard let (index, event) = state.next() else { usleep(200_000); return .init(status: 500) }
                return .init(status: 200, headers: ["Lambda-Runtime-Aws-Request-Id": "m-\(index)", "Lambda-Runtime-Deadline-Ms": "0"], text: event)
            }
            state.answered(body: request.body, expect: expect)
            return .init(status: 202)
        }
        defer { server.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bootstrap)
        process.environment = environment.merging(["AWS_LAMBDA_RUNTIME_API": server.address, "PATH": "/usr/bin:/bin"]) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        state.pid = process.processIdentifier
        let deadline = Date().addingTimeInterval(600)
        while !state.done, process.isRunning, Date() < deadline { usleep(10_000) }
        let peak = Self.status(process.processIdentifier, "VmHWM")
        let end = Self.status(process.processIdentifier, "VmRSS")
        process.terminate()
        process.waitUntilExit()
        guard state.done else { throw BenchError("\(bootstrap) stopped after \(state.answeredCount) of \(events.count) invocations") }
        guard state.unexpected == 0 else { throw BenchError("\(bootstrap) gave \(state.unexpected) unexpected answers") }
        return Usage(peakMB: peak, afterFirstThousandMB: state.rssAtThousand, atEndMB: end)
    }

    /// A field of /proc/PID/status in MB.
    static func status(_ pid: Int32, _ field: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let kilobytes = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
}

/// Hands out the events one by one and notes the RSS once a thousand are answered.
final class Feed: @unchecked Sendable {
    private let lock = NSLock()
    private let events: [String]
    private var index = 0
    private(set) var answeredCount = 0
    private(set) var unexpected = 0
    var pid: Int32 = 0
    private(set) var rssAtThousand = 0.0

    init(events: [String]) { self.events = events }

    func next() -> (Int, String)? {
        lock.lock(); defer { lock.unlock() }
        guard index < events.count else { return nil }
        index += 1
        return (index, events[index - 1])
    }

    func answered(body: [UInt8], expect: String) {
        lock.lock(); defer { lock.unlock() }
        answeredCount += 1
        if !String(decoding: body, as: UTF8.self).contains(expect) { unexpected += 1 }
        if answeredCount == min(1000, events.count) { rssAtThousand = MemoryBenchmarks.status(pid, "VmRSS") }
    }

    var done: Bool { lock.lock(); defer { lock.unlock() }; return answeredCount >= events.count }
}
