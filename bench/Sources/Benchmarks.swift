import Foundation
import FunctionHost
import LambdaRuntimeClient
import PaymentsCore
import Platform
import PaymentsStores
import CurlHTTP
import SQLiteAdapter
import StripeProvider
import TestSupport

/// The measured scenarios. Each returns one number; `main.swift` prints and compares them.
enum Benchmarks {
    static let secret = "whsec_74W3oZwGG9ApLPDwMs6MyF1vMSaR7kuM"

    /// A realistic payment_intent.succeeded body (about 1 KB, as Stripe sends it) for payment `index`.
    static func stripeEvent(index: Int, created: Int) -> String {
        """
        {"id":"evt_bench\(index)","object":"event","api_version":"2024-06-20","created":\(created),"data":{"object":{"id":"pi_bench\(index)",\
        "object":"payment_intent","amount":2000,"amount_capturable":0,"amount_received":2000,"capture_method":"automatic_async",\
        "client_secret":"pi_bench\(index)_secret_LTNCwVIPUKx6Vx25myrGCa957","confirmation_method":"automatic","created":\(created - 60),\
        "currency":"usd","customer":null,"description":"Order ord_bench\(index)","last_payment_error":null,"latest_charge":"ch_bench\(index)",\
        "livemode":false,"metadata":{"order_id":"ord_bench\(index)","payment_id":"pay_bench\(index)"},"next_action":null,\
        "payment_method":"pm_rJenuu0d20z2QEHf7hfHSLG8","payment_method_types":["card"],"status":"succeeded"}},"livemode":false,\
        "pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"payment_intent.succeeded"}
        """
    }

    static func signedDelivery(index: Int, now: Int) -> APIGatewayV2Request {
        let body = stripeEvent(index: index, created: now)
        return APIGatewayV2Request(
            method: "POST", path: "/webhooks/stripe",
            headers: ["content-type": "application/json", "stripe-signature": StripeSignature.header(body: Array(body.utf8), secret: secret, timestamp: now)],
            body: body, requestID: "bench-\(index)")
    }

    static func seed(_ store: SQLitePaymentStore, count: Int) throws {
        let usd = Currency(code: "USD")!
        for index in 0..<count {
            let payment = Payment(id: "pay_bench\(index)", orderID: "ord_bench\(index)", provider: "stripe", providerReference: "pi_bench\(index)",
                                  amount: Money(minorUnits: 2000, currency: usd), createdAt: Date())
            _ = try store.create(payment, idempotencyKey: "bench-\(index)", requestFingerprint: "bench")
        }
    }

    /// A fresh store's path in this run's own folder, which `removeTemporaryStores` deletes at the end
    /// (a full run makes dozens of stores with their WAL files; left behind, they pile up in /tmp).
    static func temporaryStorePath() -> String {
        try? FileManager.default.createDirectory(at: storeFolder, withIntermediateDirectories: true)
        return storeFolder.appendingPathComponent("\(UUID().uuidString).sqlite").path
    }

    static let storeFolder = FileManager.default.temporaryDirectory.appendingPathComponent("payments-bench-\(getpid())")

    static func removeTemporaryStores() {
        try? FileManager.default.removeItem(at: storeFolder)
    }

    /// Webhook events per second, in-process: verify + decode + transition + SQLite write with its outbox row.
    /// Each event is a first delivery, so every one is a stored transition.
    static func webhookThroughput(count: Int) throws -> Double {
        let store = try SQLitePaymentStore(path: temporaryStorePath())
        try seed(store, count: count)
        let now = Int(Date().timeIntervalSince1970)
        let deliveries = (0..<count).map { signedDelivery(index: $0, now: now) }
        let function = WebhookFunction(authenticator: StripeWebhookAuthenticator(signature: StripeSignature(secrets: [secret])),
                                       store: store, clock: SystemClock())
        let context = InvocationContext(requestID: "bench", logger: .discarding)
        let elapsed = try CPUClock.measure {
            for delivery in deliveries {
                let response = try function.handle(delivery, context: context)
                precondition(response.statusCode == 200, "benchmark event refused: \(response.body ?? "")")
            }
        }
        let written = try store.unpublishedEvents(limit: count + 1).count
        precondition(written == count, "every event must be a transition")
        return Double(count) / elapsed.seconds
    }

    /// Duplicate deliveries per second: verified and read, nothing written.
    static func duplicateThroughput(count: Int) throws -> Double {
        let store = try SQLitePaymentStore(path: temporaryStorePath())
        try seed(store, count: 1)
        let now = Int(Date().timeIntervalSince1970)
        let delivery = signedDelivery(index: 0, now: now)
        let function = WebhookFunction(authenticator: StripeWebhookAuthenticator(signature: StripeSignature(secrets: [secret])),
                                       store: store, clock: SystemClock())
        let context = InvocationContext(requestID: "bench", logger: .discarding)
        _ = try function.handle(delivery, context: context)
        let elapsed = try CPUClock.measure {
            for _ in 0..<count { _ = try function.handle(delivery, context: context) }
        }
        return Double(count) / elapsed.seconds
    }

    /// Microseconds the Runtime API loop adds per invocation (next + response over loopback), trivial handler.
    static func runtimeLoopOverhead(count: Int) throws -> Double {
        let served = ServedCount()
        let server = try TestHTTPServer { request in
            if request.method == "GET" {
                let id = served.next()
                return .init(status: 200, headers: ["Lambda-Runtime-Aws-Request-Id": "req-\(id)", "Lambda-Runtime-Deadline-Ms": "0"], text: #"{"ping":true}"#)
            }
            return .init(status: 202)
        }
        defer { server.stop() }
        let loop = LambdaRuntimeLoop(api: server.address, client: LoopbackHTTPClient(address: server.address), logger: .discarding)
        let elapsed = try ContinuousClock().measure {
            try loop.run(limit: count, handler: { $0.event })
        }
        return elapsed.seconds / Double(count) * 1_000_000
    }

    /// Milliseconds from exec of a bootstrap to its first response arriving at the Runtime API,
    /// median of `runs` cold starts: process start, init (store open, handler built), one webhook.
    static func coldStart(bootstrap: String, runs: Int, environment extra: [String: String] = [:]) throws -> Double {
        var samples: [Double] = []
        for _ in 0..<runs {
            let path = temporaryStorePath()
            try seed(try SQLitePaymentStore(path: path), count: 1)
            let delivery = signedDelivery(index: 0, now: Int(Date().timeIntervalSince1970))
            let event = String(decoding: try JSONEncoder().encode(delivery), as: UTF8.self)
            let answered = Answered()
            let server = try TestHTTPServer { request in
                if request.method == "GET" {
                    if answered.handedOut() { usleep(200_000); return .init(status: 500) }
                    return .init(status: 200, headers: ["Lambda-Runtime-Aws-Request-Id": "cold-1", "Lambda-Runtime-Deadline-Ms": "0"], text: event)
                }
                if request.path.hasSuffix("/response") { answered.record(body: request.body) }
                return .init(status: 202)
            }
            let start = ContinuousClock.now
            let process = Process()
            process.executableURL = URL(fileURLWithPath: bootstrap)
            process.environment = [
                "AWS_LAMBDA_RUNTIME_API": server.address, "STRIPE_WEBHOOK_SECRET": secret,
                "PAYMENTS_STORE": "sqlite:\(path)", "PATH": "/usr/bin:/bin",
            ].merging(extra) { $1 }
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = start + .seconds(10)
            while answered.responseAt == nil, ContinuousClock.now < deadline { usleep(100) }
            process.terminate()
            process.waitUntilExit()
            server.stop()
            guard let at = answered.responseAt else { throw BenchError("\(bootstrap) did not answer within 10 s") }
            guard answered.body.contains("\"statusCode\":200") else { throw BenchError("cold start answered \(answered.body)") }
            samples.append((at - start).seconds * 1000)
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}

final class ServedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

final class Answered: @unchecked Sendable {
    private let lock = NSLock()
    private var given = false
    private var at: ContinuousClock.Instant?
    private var text = ""
    func handedOut() -> Bool { lock.lock(); defer { lock.unlock() }; defer { given = true }; return given }
    func record(body: [UInt8]) { lock.lock(); defer { lock.unlock() }; at = ContinuousClock.now; text = String(decoding: body, as: UTF8.self) }
    var responseAt: ContinuousClock.Instant? { lock.lock(); defer { lock.unlock() }; return at }
    var body: String { lock.lock(); defer { lock.unlock() }; return text }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// CPU time (user + system) of the calling thread: what "per core" means, and steady when other
/// processes share the machine, unlike wall time.
enum CPUClock {
    static func now() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }

    static func measure(_ body: () throws -> Void) rethrows -> Duration {
        let start = now()
        try body()
        return now() - start
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
