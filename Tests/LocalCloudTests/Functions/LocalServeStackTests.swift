import Platform
import Foundation
import Testing
import LocalCloudFunctions
import PaymentsCore

struct LocalServeStackTests {
    @Test func relativeSQLitePathsAndCertificatesAreMadeAbsoluteAndTheRestIsKept() {
        let environment = LocalServeStack.childEnvironment(
            ["DELIVERY_STORE": "sqlite:/abs/d.sqlite", "NOTIFICATION_STORE": "dynamodb:t", "PAYPAL_WEBHOOK_CERT": "certs/leaf.pem",
             "PAYPAL_TRUSTED_ROOTS": "/etc/roots.pem", "OTHER": "x"], folder: "/work/here")
        #expect(environment == [
            "PAYMENTS_STORE": "sqlite:/work/here/payments.sqlite", "DELIVERY_STORE": "sqlite:/abs/d.sqlite",
            "NOTIFICATION_STORE": "dynamodb:t", "PAYPAL_WEBHOOK_CERT": "/work/here/certs/leaf.pem",
            "PAYPAL_TRUSTED_ROOTS": "/etc/roots.pem", "OTHER": "x",
        ])
    }

    @Test func theInProcessStackServesTheRoutesOnLoopbackAndStops() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-stack-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = LocalServeStack.childEnvironment(["PAYMENTS_EVENTS": "sqlite"], folder: folder)
        let stack = try await LocalServeStack.start(.inProcess, port: 0, environment: environment, timeoutSeconds: 5,
                                                    logger: .discarding, gatewayLog: { _ in })
        let port = Int(stack.url.split(separator: ":").last ?? "") ?? 0
        let answer: RawHTTPResponse
        do {
            #expect(stack.url.hasPrefix("http://127.0.0.1:"))
            #expect(stack.deliveryTargets == ["delivery", "notification"])
            #expect(stack.routes.table.contains { $0 == ("POST /webhooks/stripe", "stripe-webhook") })
            answer = try await RawHTTP.send(port: port, method: "GET", target: "/no/such/route")
        } catch {
            await stack.stop()
            throw error
        }
        await stack.stop()
        #expect(answer.status == 404)
        await #expect(throws: (any Error).self) { try await RawHTTP.send(port: port, method: "GET", target: "/no/such/route") }
    }
}
