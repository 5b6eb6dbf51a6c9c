import Foundation
import Synchronization
import Testing
import AWSClients
import FunctionHost
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport
@testable import StripeProvider

/// Secrets read from SSM Parameter Store at start and again after SECRETS_MAX_AGE, on moto: the real
/// stripe-webhook function verifies with the parameter's value, picks up a rotated value once the
/// values are older than the max age (an injected clock, no sleeping), keeps what it has when SSM
/// fails, and does not start when a parameter is missing.
@Suite(.serialized) struct SecretRefreshingRuntimeTests {
    let moto: MotoServer
    let ssm: AWSJSONClient
    let parameter = "/payments-test-\(UUID().uuidString.prefix(8))/STRIPE_WEBHOOK_SECRET"
    let clock = FixedClock(Date(timeIntervalSince1970: 1_764_000_000))
    let first = "whsec_kKxgprTwyuhW4d6khhengyJTaMHNYdUo"
    let rotated = "whsec_2anWOpfUyngRAJxbEfSvlRspF0WXp28V"

    init() throws {
        moto = try MotoServer.shared()
        ssm = AWSJSONClient(service: .ssm, configuration: AWSConfiguration(
            region: "eu-west-1", credentials: AWSCredentials(accessKeyID: "AKIDTESTMOTO", secretAccessKey: "moto-test-secret-not-real"),
            endpointOverride: moto.endpoint), http: CurlHTTPClient(), clock: SystemClock())
    }

    var environment: [String: String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ssm-\(UUID().uuidString).sqlite").path
        return ["PAYMENTS_STORE": "sqlite:\(path)", "STRIPE_WEBHOOK_SECRET": "ssm:\(parameter)", "SECRETS_MAX_AGE": "30s",
                "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKIDTESTMOTO", "AWS_SECRET_ACCESS_KEY": "moto-test-secret-not-real",
                "AWS_ENDPOINT_URL": moto.endpoint]
    }

    func put(_ value: String) throws {
        _ = try ssm.call("PutParameter", .object(["Name": .string(parameter), "Value": .string(value), "Type": .string("SecureString"),
                                                  "Overwrite": .bool(true)]))
    }

    /// A verified delivery about a payment this store does not know is acknowledged with 200; one
    /// signed with another secret is refused with 400.
    func status(_ runtime: inout SecretRefreshingRuntime, signedWith secret: String) throws -> Int {
        let kit = StripeWebhookKit()
        let success = try kit.successDelivery()
        let delivery = StripeWebhookKit.signed(success, body: success.body ?? "", secret: secret,
                                               timestamp: Int(clock.now().timeIntervalSince1970))
        let answer = try runtime.invoke(event: Array(try JSONEncoder().encode(delivery)), context: testContext)
        return try JSONDecoder().decode(APIGatewayV2Response.self, from: Data(answer)).statusCode
    }

    @Test func theParameterIsReadDecryptedAndARotatedValueIsUsedOnceOlderThanTheMaxAge() throws {
        try put(first)
        var runtime = try SecretRefreshingRuntime(StripeFunctions.webhook.definition, environment: environment, logger: .discarding, clock: clock)
        #expect(runtime.references.parameters == ["STRIPE_WEBHOOK_SECRET": parameter])
        #expect(runtime.maxAge == 30)
        // moto answers a SecureString read without decryption as "kms:alias/aws/ssm:VALUE": a 200 proves WithDecryption.
        #expect(try status(&runtime, signedWith: first) == 200)
        #expect(try status(&runtime, signedWith: rotated) == 400)

        try put(rotated)
        clock.instant += 29
        #expect(try status(&runtime, signedWith: rotated) == 400, "younger than the max age: the value in use stays")
        #expect(try status(&runtime, signedWith: first) == 200)
        clock.instant += 1
        #expect(try status(&runtime, signedWith: rotated) == 200, "older than the max age: re-read, the handler rebuilt")
        #expect(try status(&runtime, signedWith: first) == 400)
        #expect(runtime.resolvedAt == clock.now())
    }

    @Test func whenReReadingFailsTheValuesInUseStayAndTheWarningHoldsNoValue() throws {
        try put(first)
        let lines = Mutex<[String]>([])
        let logger = Logger(function: "stripe-webhook") { line in lines.withLock { $0.append(line) } }
        var runtime = try SecretRefreshingRuntime(StripeFunctions.webhook.definition, environment: environment, logger: logger, clock: clock)
        _ = try ssm.call("DeleteParameter", .object(["Name": .string(parameter)]))
        clock.instant += 31
        var context = testContext
        context.logger = logger
        let kit = StripeWebhookKit()
        let success = try kit.successDelivery()
        let delivery = StripeWebhookKit.signed(success, body: success.body ?? "", secret: first, timestamp: Int(clock.now().timeIntervalSince1970))
        let answer = try runtime.invoke(event: Array(try JSONEncoder().encode(delivery)), context: context)
        #expect(try JSONDecoder().decode(APIGatewayV2Response.self, from: Data(answer)).statusCode == 200)
        let warnings = lines.withLock { $0 }.filter { $0.contains("could not re-read secrets") }
        #expect(warnings.count == 1)
        #expect(warnings.allSatisfy { $0.contains(parameter) && $0.contains("STRIPE_WEBHOOK_SECRET") && !$0.contains(first) })
        // It tries again on the next invocation, and takes the value once it is back.
        try put(rotated)
        #expect(try status(&runtime, signedWith: rotated) == 200)
    }

    @Test func aMissingParameterIsAnInitErrorNamingTheSettingAndTheParameter() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try SecretRefreshingRuntime(StripeFunctions.webhook.definition, environment: environment, logger: .discarding, clock: clock)
        }
        #expect(error.description.contains("STRIPE_WEBHOOK_SECRET"))
        #expect(error.description.contains("\(parameter) does not exist"))
    }

    @Test func aParameterHoldingAPlaceholderStopsTheFunctionWithoutQuotingIt() throws {
        try put("whsec_pending")
        let error = try #require(throws: ConfigurationError.self) {
            try SecretRefreshingRuntime(StripeFunctions.webhook.definition, environment: environment, logger: .discarding, clock: clock)
        }
        #expect(error.description.contains("STRIPE_WEBHOOK_SECRET") && !error.description.contains("whsec_pending"))
    }

    @Test func plainValuesNeverCallSSM() throws {
        let calls = FakeHTTPClient { _ in HTTPResponse(status: 500) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plain-\(UUID().uuidString).sqlite").path
        var runtime = try SecretRefreshingRuntime(StripeFunctions.webhook.definition, environment: ["PAYMENTS_STORE": "sqlite:\(path)", "STRIPE_WEBHOOK_SECRET": first],
                                                  logger: .discarding, httpClient: calls, clock: clock)
        #expect(runtime.references.isEmpty)
        clock.instant += 3600
        #expect(try status(&runtime, signedWith: first) == 200)
        #expect(calls.requests.isEmpty)
    }

    @Test(arguments: ["5", "m", "-1m", "5x", "0s", "25h", "1.5m", "ssm:/x"])
    func aMalformedMaxAgeIsAnErrorNamingIt(_ value: String) throws {
        let error = try #require(throws: ConfigurationError.self) {
            try DurationSetting.seconds("SECRETS_MAX_AGE", environment: ["SECRETS_MAX_AGE": value], default: 300, range: 1...86_400)
        }
        #expect(error.description.hasPrefix("SECRETS_MAX_AGE must be a duration"))
    }

    @Test func maxAgeDurations() throws {
        func seconds(_ value: String?) throws -> Double {
            try DurationSetting.seconds("SECRETS_MAX_AGE", environment: value.map { ["SECRETS_MAX_AGE": $0] } ?? [:], default: 300, range: 1...86_400)
        }
        #expect(try seconds(nil) == 300)
        #expect(try seconds("") == 300)
        #expect(try seconds("30s") == 30)
        #expect(try seconds("5m") == 300)
        #expect(try seconds("1h") == 3600)
        #expect(try seconds("24h") == 86_400)
    }

    @Test(arguments: ["ssm:", "ssm:/a b", "ssm:/a,/b"])
    func aMalformedReferenceNamesTheSetting(_ value: String) throws {
        let error = try #require(throws: ConfigurationError.self) { try SSMSettingReferences(environment: ["STRIPE_WEBHOOK_SECRET": value]) }
        #expect(error.description.hasPrefix("STRIPE_WEBHOOK_SECRET must be ssm:PARAMETER_NAME"))
    }
}
