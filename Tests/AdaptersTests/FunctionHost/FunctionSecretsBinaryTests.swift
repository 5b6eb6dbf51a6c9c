import Foundation
import Testing
import TestSupport
import AWSClients
import PaymentsCore
import Platform
import CurlHTTP

/// The webhook binaries as Lambda starts them, about their secrets: a typed placeholder never serves a
/// delivery, and secrets named as SSM parameters are read at init (moto).
struct FunctionSecretsBinaryTests {
    /// Runs `function` until the Runtime API has no more events; answers what it posted and its exit status.
    func run(_ function: String, events: [(id: String, body: String)], environment: [String: String]) throws -> ([FakeRuntimeAPI.Posted], Int32) {
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-binary-\(UUID().uuidString).sqlite").path
        return try FakeRuntimeAPI.run(FunctionBinaryTests.binFolder.appendingPathComponent(function), events: events,
                                      environment: environment.merging(["PAYMENTS_STORE": "sqlite:\(store)"]) { $1 })
    }

    static let placeholders: [(function: String, environment: [String: String], setting: String, values: [String])] = [
        ("stripe-webhook", ["STRIPE_WEBHOOK_SECRET": "whsec_pending"], "STRIPE_WEBHOOK_SECRET", ["whsec_pending"]),
        ("paypal-webhook", ["PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret", "PAYPAL_WEBHOOK_ID": "WH-1",
                            "PAYPAL_WEBHOOK_CERT": FunctionBinaryTests.paypalCert], "PAYPAL_WEBHOOK_ID", ["WH-1"]),
        ("braintree-webhook", ["BRAINTREE_PUBLIC_KEY": "n1gppdfiyefzftbt", "BRAINTREE_PRIVATE_KEY": "private_key_1234"], "BRAINTREE_PRIVATE_KEY",
         ["private_key_1234"]),
    ]

    /// Issue 20's black-box case: a delivery signed with the placeholder the docs once suggested is never
    /// verified, because the function does not start; the init error names the setting, never the value.
    @Test(arguments: placeholders.indices)
    func aPlaceholderSecretIsAnInitErrorThatNeverQuotesIt(_ index: Int) throws {
        let (function, environment, setting, values) = Self.placeholders[index]
        let delivery = FunctionBinaryTests.event("POST", "/webhooks/\(function.split(separator: "-")[0])", body: "{}")
        let (posts, status) = try run(function, events: [("never-served", delivery)], environment: environment)
        #expect(posts.map(\.path) == ["/2018-06-01/runtime/init/error"], "\(function)")
        let body = posts.first?.body ?? ""
        #expect(body.contains(setting), "\(body)")
        for value in values { #expect(!body.contains(value), "\(body)") }
        #expect(status == 1)
    }

    @Test func secretsNamedAsSSMParametersAreReadAtInitAndAMissingOneIsAnInitError() throws {
        let moto = try MotoServer.shared()
        let name = "/binary-\(UUID().uuidString.prefix(8))/STRIPE_WEBHOOK_SECRET"
        let environment = ["AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKIDTESTMOTO", "AWS_SECRET_ACCESS_KEY": "moto-test-secret-not-real",
                           "AWS_ENDPOINT_URL": moto.endpoint, "STRIPE_WEBHOOK_SECRET": "ssm:\(name)"]

        let ssm = Moto.client(.ssm, server: moto)
        // moto loads its SSM backend on first use, which can take seconds on a busy machine: not what is tested.
        _ = try ssm.call("PutParameter", .object(["Name": .string(name + "-warm-up"), "Value": .string("x"), "Type": .string("String")]))

        let (missing, missingStatus) = try run("stripe-webhook", events: [], environment: environment)
        #expect(missing.map(\.path) == ["/2018-06-01/runtime/init/error"])
        let report = try JSONSerialization.jsonObject(with: Data((missing.first?.body ?? "{}").utf8)) as? [String: Any]
        #expect(report?["errorMessage"] as? String == "STRIPE_WEBHOOK_SECRET: SSM parameter \(name) does not exist")
        #expect(missingStatus == 1)

        _ = try ssm.call("PutParameter", .object([
            "Name": .string(name), "Value": .string("whsec_Jmxd7L3FmiLoCGyLpO7WjPdn7qijezKi"), "Type": .string("SecureString")]))
        let unsigned = FunctionBinaryTests.event("POST", "/webhooks/stripe", body: "{}")
        let (posts, status) = try run("stripe-webhook", events: [("unsigned", unsigned)], environment: environment)
        #expect(posts.map(\.path) == ["/2018-06-01/runtime/invocation/unsigned/response"], "it started with the parameter's value")
        #expect(posts.first?.body.contains("\"statusCode\":400") == true)
        #expect(status == 1)
    }
}
