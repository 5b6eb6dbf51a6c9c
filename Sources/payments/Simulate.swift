import ArgumentParser
import Foundation
import FunctionHost
import Platform
import LocalCloudFunctions
import LocalCloud
import PaymentsCore
import CurlHTTP
import PayPalProvider
import BraintreeProvider

/// `payments simulate PROVIDER api|send`: plays a provider's side locally, like `stripe trigger`.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a payment provider's side locally: its API, and its signed webhooks.",
        discussion: """
            `api` serves the provider's API on 127.0.0.1 for the payment functions (point STRIPE_API_BASE, \
            PAYPAL_API_BASE or BRAINTREE_API_BASE at the URL it prints). `send SCENARIO --payment ID` reads the \
            payment from the local gateway, then POSTs the provider's webhooks for the scenario, signed with the \
            secrets the webhook functions read (STRIPE_WEBHOOK_SECRET; BRAINTREE_PUBLIC_KEY/BRAINTREE_PRIVATE_KEY; \
            PayPal: PAYPAL_WEBHOOK_ID and the simulator's key, whose certificate PAYPAL_WEBHOOK_CERT must name).

            Scenarios: \(WebhookScenario.allCases.map(\.rawValue).joined(separator: ", ")).
            """,
        subcommands: [SimulateStripe.self, SimulatePayPal.self, SimulateBraintree.self]
    )
}

struct SimulateAPIOptions: ParsableArguments {
    @Option(help: "Port on 127.0.0.1 (0 picks a free one).")
    var port = 0
}

struct SimulateSendOptions: ParsableArguments {
    @Argument(help: "What the provider tells: \(WebhookScenario.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario: String

    @Option(help: "The payment (pay_…) the webhooks are about.")
    var payment: String

    @Option(help: "The local API Gateway (payments serve).")
    var gateway = "http://127.0.0.1:3000"

    func parsedScenario() throws -> WebhookScenario {
        guard let scenario = WebhookScenario(rawValue: scenario) else {
            throw ValidationError("Unknown scenario '\(scenario)'; one of: \(WebhookScenario.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return scenario
    }
}

/// The environment variable `name`, or a clear failure naming it.
func simulatorSetting(_ name: String, for what: String) throws -> String {
    guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
        throw CommandFailure("\(name) is not set: \(what) needs the same value the webhook function reads.")
    }
    return value
}

/// A fresh random value of `shape`, for the exports the simulators print: the webhook functions refuse
/// typed placeholders, so the simulators never suggest one.
func randomCredential(_ shape: SecretShape) -> String {
    let characters: [Character]
    switch shape.alphabet {
    case .alphanumeric: characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    case .upperAlphanumeric: characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    case .lowerAlphanumeric: characters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    }
    while true {
        var generator = SystemRandomNumberGenerator()
        let value = shape.prefix + String((0..<shape.lengths.lowerBound).map { _ in characters.randomElement(using: &generator)! })
        if shape.problem(with: value) == nil { return value }
    }
}

/// Serves `simulator` until the process is stopped, printing the base URL and `lines` once listening.
func serveSimulator(_ simulator: any ProviderAPISimulator, port: Int, lines: @escaping @Sendable (String) -> [String]) throws -> Never {
    let failed = DispatchSemaphore(value: 0)
    let failure = LockedBox<String?>(nil)
    let running = LockedBox<LoopbackHTTPServer?>(nil)
    Task {
        do {
            let server = try await SimulatorServer.start(simulator, port: port)
            running.value = server
            for line in lines("http://127.0.0.1:\(server.port)") { print(line) }
            fflush(nil)  // all streams: the lines must reach a pipe at once
        } catch {
            failure.value = "\(error)"
            failed.signal()
        }
    }
    failed.wait()
    writeStandardError("payments simulate: the server stopped: \(failure.value ?? "unknown reason")\n")
    Foundation.exit(1)
}

final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Plays `scenario` for `paymentID` with `simulator`; fails when a delivery is not 2xx.
func sendScenario(_ options: SimulateSendOptions, simulator: any WebhookSimulator) throws {
    let scenario = try options.parsedScenario()
    let sender = WebhookSender(gateway: options.gateway, client: CurlHTTPClient())
    do {
        let payment = try sender.payment(options.payment)
        guard payment.provider == simulator.provider else {
            throw CommandFailure("Payment \(payment.paymentId) is a \(payment.provider) payment, not \(simulator.provider).")
        }
        let plan = try simulator.deliveries(for: scenario, payment: payment, now: Date())
        print("\(simulator.provider) \(scenario.rawValue) for \(payment.paymentId) (\(payment.status), reference \(payment.providerReference ?? "-")): \(plan.deliveries.count) deliver\(plan.deliveries.count == 1 ? "y" : "ies") to \(sender.gateway)/webhooks/\(simulator.provider)")
        var refused: [String] = []
        _ = try sender.deliver(plan.deliveries, provider: simulator.provider) { delivered in
            print("  \(delivered.status) \(delivered.label)")
            if !(200...299).contains(delivered.status) {
                refused.append("\(delivered.label) answered \(delivered.status): \(delivered.body)")
            }
        }
        guard refused.isEmpty else {
            throw CommandFailure("\(refused.count) deliver\(refused.count == 1 ? "y was" : "ies were") not accepted:\n  " + refused.joined(separator: "\n  "))
        }
        let after = try sender.payment(options.payment)
        print("payment \(after.paymentId) is now \(after.status) (this scenario alone leads a new payment to \(plan.expectedStatus))")
    } catch {
        guard let simulatorError = error as? SimulatorError else { throw error }
        throw CommandFailure(simulatorError.description)
    }
}

struct SimulateStripe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stripe", abstract: "Stripe's API and webhooks.",
                                                    subcommands: [API.self, Send.self])

    struct API: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "api",
            abstract: "Serve Stripe's PaymentIntents API (the exact STRIPE_SECRET_KEY when set, else any sk_ key).")
        @OptionGroup var options: SimulateAPIOptions

        func run() throws {
            let key = ProcessInfo.processInfo.environment["STRIPE_SECRET_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            serveSimulatorLines(StripeAPISimulator(secretKey: key), port: options.port) { base in
                ["Stripe simulator listening on \(base)", "export STRIPE_API_BASE=\(base)"]
                    + (key == nil ? ["export STRIPE_SECRET_KEY=sk_test_simulator   # any sk_ key is accepted"] : [])
            }
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: "POST Stripe's signed webhooks for a scenario.")
        @OptionGroup var options: SimulateSendOptions

        func run() throws {
            try sendScenario(options, simulator: StripeWebhookSimulator(
                webhookSecret: simulatorSetting("STRIPE_WEBHOOK_SECRET", for: "signing Stripe webhooks")))
        }
    }
}

struct SimulatePayPal: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "paypal", abstract: "PayPal's REST API and webhooks.",
                                                    subcommands: [API.self, Send.self])

    static func keys(_ state: String) throws -> PayPalSimulatorKeys {
        try PayPalSimulatorKeys.loadOrCreate(in: (state as NSString).appendingPathComponent("paypal"))
    }

    struct API: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "api",
            abstract: "Serve PayPal's OAuth and Orders v2 API; makes the webhook signing key and certificate in the state folder.")
        @OptionGroup var options: SimulateAPIOptions
        @Option(help: "Folder for the simulator's key and certificate.")
        var state = ".simulator"

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let id = environment["PAYPAL_CLIENT_ID"].flatMap { $0.isEmpty ? nil : $0 }
            let secret = environment["PAYPAL_CLIENT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
            let keys = try SimulatePayPal.keys(state)
            let certificate = URL(fileURLWithPath: keys.certificatePath).standardizedFileURL.path
            let webhookIDIsSet = !(environment["PAYPAL_WEBHOOK_ID"] ?? "").isEmpty
            serveSimulatorLines(PayPalAPISimulator(clientID: id, clientSecret: secret), port: options.port) { base in
                ["PayPal simulator listening on \(base) (approve an order: GET \(base)/checkoutnow?token=ORDER_ID)",
                 "export PAYPAL_API_BASE=\(base)", "export PAYPAL_WEBHOOK_CERT=\(certificate)"]
                    + (id == nil ? ["export PAYPAL_CLIENT_ID=simulator PAYPAL_CLIENT_SECRET=simulator   # any pair is accepted"] : [])
                    + (webhookIDIsSet ? [] : ["export PAYPAL_WEBHOOK_ID=\(randomCredential(PayPalWebhookID.shape))"])
            }
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: "POST PayPal's signed webhooks for a scenario.")
        @OptionGroup var options: SimulateSendOptions
        @Option(help: "Folder for the simulator's key and certificate (PAYPAL_WEBHOOK_CERT must name its paypal/cert.pem).")
        var state = ".simulator"

        func run() throws {
            let keys = try SimulatePayPal.keys(state)
            let trusted = ProcessInfo.processInfo.environment["PAYPAL_WEBHOOK_CERT"] ?? ""
            if URL(fileURLWithPath: trusted).standardizedFileURL.path != URL(fileURLWithPath: keys.certificatePath).standardizedFileURL.path {
                writeStandardError("payments simulate: note: the webhook function must run with PAYPAL_WEBHOOK_CERT=\(URL(fileURLWithPath: keys.certificatePath).standardizedFileURL.path) to trust these deliveries\n")
            }
            try sendScenario(options, simulator: PayPalWebhookSimulator(
                webhookID: simulatorSetting("PAYPAL_WEBHOOK_ID", for: "signing PayPal webhooks"), keys: keys))
        }
    }
}

struct SimulateBraintree: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "braintree", abstract: "Braintree's XML gateway API and webhooks.",
                                                    subcommands: [API.self, Send.self])

    struct API: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "api",
            abstract: "Serve Braintree's gateway API (merchant accounts, sales, search) for BRAINTREE_MERCHANT_ID.")
        @OptionGroup var options: SimulateAPIOptions
        @Option(help: "The default merchant account's currency.")
        var currency = "USD"

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            func setting(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
            let merchant = setting("BRAINTREE_MERCHANT_ID") ?? "simulator_merchant"
            let publicKey = setting("BRAINTREE_PUBLIC_KEY"), privateKey = setting("BRAINTREE_PRIVATE_KEY")
            let currency = self.currency.uppercased()
            let merchantIsSet = setting("BRAINTREE_MERCHANT_ID") != nil
            let simulator = BraintreeAPISimulator(merchantID: merchant, publicKey: publicKey, privateKey: privateKey, currency: currency)
            serveSimulatorLines(simulator, port: options.port) { base in
                ["Braintree simulator listening on \(base) (merchant \(merchant), \(currency))", "export BRAINTREE_API_BASE=\(base)"]
                    + (merchantIsSet ? [] : ["export BRAINTREE_MERCHANT_ID=\(merchant)"])
                    + (publicKey == nil ? ["export BRAINTREE_PUBLIC_KEY=\(randomCredential(BraintreeAPIKeys.publicKeyShape)) BRAINTREE_PRIVATE_KEY=\(randomCredential(BraintreeAPIKeys.privateKeyShape))   # any pair of this shape is accepted"] : [])
            }
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: "POST Braintree's signed webhooks for a scenario.")
        @OptionGroup var options: SimulateSendOptions

        func run() throws {
            try sendScenario(options, simulator: BraintreeWebhookSimulator(
                publicKey: simulatorSetting("BRAINTREE_PUBLIC_KEY", for: "signing Braintree webhooks"),
                privateKey: simulatorSetting("BRAINTREE_PRIVATE_KEY", for: "signing Braintree webhooks")))
        }
    }
}

func serveSimulatorLines(_ simulator: any ProviderAPISimulator, port: Int, lines: @escaping @Sendable (String) -> [String]) {
    do {
        try serveSimulator(simulator, port: port, lines: lines)
    } catch {
        writeStandardError("payments simulate: \(error)\n")
        Foundation.exit(1)
    }
}
