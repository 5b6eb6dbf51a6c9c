import Foundation
import LocalCloud
import CurlHTTP
import StripeProvider
import XCTest

/// The `payments` binary itself: `simulate stripe api --port 0` serves the payment function, and
/// `simulate stripe send` reaches the webhook function through a gateway, printing each delivery's
/// status and failing with a clear message when one is refused.
final class SimulateCommandTests: XCTestCase {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("payments").path

    func payments(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    func testStripeAPIAndSendThroughTheCLI() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw XCTSkip("\(Self.binary) is not built: `swift build --product payments` (swift build --build-tests builds it too)")
        }
        // `payments simulate stripe api --port 0`: the base URL comes from the line it prints.
        let api = Process()
        api.executableURL = URL(fileURLWithPath: Self.binary)
        api.arguments = ["simulate", "stripe", "api", "--port", "0"]
        api.environment = ProcessInfo.processInfo.environment.merging(["STRIPE_SECRET_KEY": "sk_test_cli"]) { $1 }
        let apiOut = Pipe()
        api.standardOutput = apiOut
        api.standardError = FileHandle.nullDevice
        try api.run()
        defer { api.terminate(); api.waitUntilExit() }
        var printed = ""
        let deadline = Date().addingTimeInterval(20)
        while !printed.contains("export STRIPE_API_BASE="), Date() < deadline {
            let chunk = apiOut.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let exportLine = try XCTUnwrap(printed.split(separator: "\n").first { $0.hasPrefix("export STRIPE_API_BASE=") }, printed)
        let base = String(exportLine.dropFirst("export STRIPE_API_BASE=".count))
        XCTAssertTrue(base.hasPrefix("http://127.0.0.1:"), base)
        XCTAssertFalse(printed.contains("export STRIPE_SECRET_KEY"), "the key is set, so it is not suggested: \(printed)")

        let gateway = try SimulatorTestGateway(payment: StripeFunctions.payment.definition, webhook: StripeFunctions.webhook.definition, environment: [
            "STRIPE_SECRET_KEY": "sk_test_cli", "STRIPE_API_BASE": base, "STRIPE_WEBHOOK_SECRET": "whsec_2anWOpfUyngRAJxbEfSvlRspF0WXp28V",
        ])
        let created = try gateway.createPayment("stripe", #"{"orderId":"ord_cli","amount":1200,"currency":"USD"}"#)
        XCTAssertEqual(created.status, 201, "\(created.body)")
        let id = try XCTUnwrap(created.body["paymentId"] as? String)

        let sent = try payments(["simulate", "stripe", "send", "dispute", "--payment", id, "--gateway", gateway.base],
                                environment: ["STRIPE_WEBHOOK_SECRET": "whsec_2anWOpfUyngRAJxbEfSvlRspF0WXp28V"])
        XCTAssertEqual(sent.status, 0, sent.out + sent.err)
        XCTAssertTrue(sent.out.contains("  200 payment_intent.succeeded\n"), sent.out)
        XCTAssertTrue(sent.out.contains("  200 charge.dispute.created\n"), sent.out)
        XCTAssertTrue(sent.out.contains("payment \(id) is now disputed"), sent.out)
        XCTAssertEqual(try WebhookSender(gateway: gateway.base, client: CurlHTTPClient()).payment(id).status, "disputed")

        let refused = try payments(["simulate", "stripe", "send", "succeed", "--payment", id, "--gateway", gateway.base],
                                   environment: ["STRIPE_WEBHOOK_SECRET": "whsec_not_the_functions"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.out.contains("  400 payment_intent.succeeded"), refused.out)
        XCTAssertTrue(refused.err.contains("1 delivery was not accepted"), refused.err)

        let unknown = try payments(["simulate", "stripe", "send", "succeed", "--payment", "pay_nowhere", "--gateway", gateway.base],
                                   environment: ["STRIPE_WEBHOOK_SECRET": "whsec_2anWOpfUyngRAJxbEfSvlRspF0WXp28V"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.err.contains("answered 404"), unknown.err)
    }
}
