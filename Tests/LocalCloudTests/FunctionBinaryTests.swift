import Foundation
import Testing
import LocalCloud
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
import StripeProvider

/// A real function binary of this repository (`stripe-webhook`, built next to this test bundle) under
/// the local Lambda, on the Stripe SDK-signed fixture events of Tests/Fixtures/Stripe/webhooks.
@Suite struct FunctionBinaryTests {
    static let binFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/Stripe/webhooks").standardized
    /// The secret the fixtures were signed with (scripts/regen_fixtures.sh).
    static let secret = "whsec_kKxgprTwyuhW4d6khhengyJTaMHNYdUo"

    /// The fixture event, its Stripe-Signature replaced by one made now (the SDK's is from 2025, past
    /// Stripe's 5-minute tolerance) unless `resign` is false; `tamper` changes the body after signing.
    static func event(_ file: String, resign: Bool, tamper: Bool = false) throws -> [UInt8] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(file))
        var event = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var body = try #require(event["body"] as? String)
        var headers = try #require(event["headers"] as? [String: Any])
        if resign {
            headers["stripe-signature"] = StripeSignature.header(body: Array(body.utf8), secret: secret, timestamp: Int(Date().timeIntervalSince1970))
        }
        if tamper { body = body.replacingOccurrences(of: "\"amount\": 2000", with: "\"amount\": 1") }
        event["headers"] = headers
        event["body"] = body
        return Array(try JSONSerialization.data(withJSONObject: event))
    }

    static func statusCode(_ result: InvokeResult) -> Int? {
        guard case .response(let bytes) = result,
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        return object["statusCode"] as? Int
    }

    @Test func stripeWebhookAnswersUnderTheLocalLambda() async throws {
        let executable = Self.binFolder.appendingPathComponent("stripe-webhook").path
        try #require(FileManager.default.isExecutableFile(atPath: executable), "build it first: swift build --product stripe-webhook (swift test builds it)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("localcloud-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("payments.sqlite").path
        let log = LogCapture()
        let lambda = LocalLambda(functions: [LambdaFunctionConfiguration(
            name: "stripe-webhook", executable: executable,
            environment: ["PAYMENTS_STORE": "sqlite:\(store)", "STRIPE_WEBHOOK_SECRET": Self.secret],
            timeoutSeconds: 10
        )], log: log.log)
        defer { Task { await lambda.shutdown() } }

        func invoke(_ event: [UInt8]) async -> InvokeResult {
            await lambda.invoke(function: "stripe-webhook", InvokeRequest(payload: event, requestID: UUID().uuidString.lowercased()))
        }
        // The pending payment the fixture events are about (Tests/Fixtures/Stripe/webhooks/manifest.json).
        let payments = try SQLitePaymentStore(path: store)
        _ = try payments.create(
            Payment(id: "pay_fixture0001", orderID: "ord_fixture0001", provider: "stripe", providerReference: "pi_fixture0001",
                    amount: Money(minorUnits: 2000, currency: Currency(code: "usd")!), createdAt: Date().addingTimeInterval(-60)),
            idempotencyKey: "fixture-key", requestFingerprint: "fixture")

        // Stripe's own 2025 signature is outside the tolerance now; a body changed after signing never verifies.
        #expect(Self.statusCode(await invoke(try Self.event("04-payment_intent.succeeded.json", resign: false))) == 400)
        #expect(Self.statusCode(await invoke(try Self.event("04-payment_intent.succeeded.json", resign: true, tamper: true))) == 400)
        #expect(try payments.payment(id: "pay_fixture0001")?.status == .pending, "nothing unverified counts")
        // Verified: the binary moves the payment to succeeded in the store it was configured with.
        let verified = await invoke(try Self.event("04-payment_intent.succeeded.json", resign: true))
        #expect(Self.statusCode(verified) == 200, "\(verified)")
        #expect(try payments.payment(id: "pay_fixture0001")?.status == .succeeded)
        // One warm process served all three.
        #expect(await lambda.processIDs(of: "stripe-webhook").count == 1)
        // An event that is no API Gateway event is the function's error, reported through /error.
        guard case .functionError(let body, _) = await invoke(Array(#"{"version":"1.0"}"#.utf8)) else {
            Issue.record("a wrong event must be a function error"); return
        }
        #expect(String(decoding: body, as: UTF8.self).contains("errorMessage"))
    }
}
