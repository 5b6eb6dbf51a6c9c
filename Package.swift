// swift-tools-version: 6.1
import PackageDescription

// Function binaries depend only on PaymentsCore, the adapters and their provider library:
// no Foundation (FoundationEssentials only), no SwiftNIO, so they start in milliseconds.
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let cryptoExtras: Target.Dependency = .product(name: "_CryptoExtras", package: "swift-crypto")
let x509: Target.Dependency = .product(name: "X509", package: "swift-certificates")
let asn1: Target.Dependency = .product(name: "SwiftASN1", package: "swift-asn1")

let package = Package(
    name: "payments",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PaymentsCore", targets: ["PaymentsCore"]),
        .library(name: "StripeProvider", targets: ["StripeProvider"]),
        .library(name: "PayPalProvider", targets: ["PayPalProvider"]),
        .executable(name: "stripe-payment", targets: ["stripe-payment"]),
        .executable(name: "stripe-webhook", targets: ["stripe-webhook"]),
        .executable(name: "paypal-payment", targets: ["paypal-payment"]),
        .executable(name: "paypal-webhook", targets: ["paypal-webhook"]),
        .library(name: "BraintreeProvider", targets: ["BraintreeProvider"]),
        .executable(name: "braintree-payment", targets: ["braintree-payment"]),
        .executable(name: "braintree-webhook", targets: ["braintree-webhook"]),
        .executable(name: "outbox-relay", targets: ["outbox-relay"]),
        .library(name: "DeliveryService", targets: ["DeliveryService"]),
        .executable(name: "delivery", targets: ["delivery"]),
        .library(name: "NotificationService", targets: ["NotificationService"]),
        .executable(name: "notification", targets: ["notification"]),
        .executable(name: "payments", targets: ["payments"]),
    ],
    dependencies: [
        // The packages that verify signatures and sign requests are pinned to exact versions: a
        // Package.resolved cannot be committed (these machines' package copies carry other commit ids
        // than GitHub's), so `from:` would let a new clone pick up a newer release of the code that
        // decides whether a webhook is genuine. Raise these deliberately, after reading their changes.
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", exact: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // Local tooling only (payments serve/emulate/simulate): never a dependency of a function binary.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // Hummingbird's own dependencies, which LocalCloud names directly (HTTP field names, a silent
        // logger, graceful shutdown): the versions Hummingbird 2.28.1 already requires.
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.14.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
    ],
    targets: [
        // C libraries of the system, reached through module maps.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        // libcurl itself is loaded with dlopen when a function first needs HTTPS (see CCurl.h).
        .target(name: "CCurl", path: "Sources/CCurl", linkerSettings: [.linkedLibrary("dl")]),
        // Lambda's provided.al2023 has glibc 2.34: pin the one newer symbol the runtime uses (see the C file).
        .target(name: "CGlibcCompat", path: "Sources/CGlibcCompat"),

        // Shared domain: money, payments, status machine, handlers, API Gateway shapes. No I/O.
        .target(name: "PaymentsCore", dependencies: [crypto]),

        // Shared adapters.
        .target(name: "PaymentsSQLite", dependencies: ["PaymentsCore", "CSQLite"], path: "Sources/Adapters/SQLite"),
        .target(name: "PaymentsHTTP", dependencies: ["PaymentsCore", "CCurl"], path: "Sources/Adapters/Curl"),
        .target(name: "LambdaRuntime", dependencies: ["PaymentsCore", "PaymentsHTTP"], path: "Sources/Adapters/LambdaRuntime"),
        // AWS: SigV4 signing (the DynamoDB store, EventBridge publisher and SQS/SNS/SES clients build on it).
        .target(name: "AWSAdapters", dependencies: ["PaymentsCore", crypto], path: "Sources/Adapters/AWS"),
        .target(name: "FunctionSupport", dependencies: ["PaymentsCore", "PaymentsSQLite", "PaymentsHTTP", "AWSAdapters", "LambdaRuntime", "CGlibcCompat"], path: "Sources/Adapters/FunctionSupport"),

        // Stripe.
        .target(name: "StripeProvider", dependencies: ["PaymentsCore", crypto], path: "Sources/Providers/Stripe/StripeProvider"),
        .executableTarget(name: "stripe-payment", dependencies: ["StripeProvider", "FunctionSupport"], path: "Sources/Providers/Stripe/Functions/Payment"),
        .executableTarget(name: "stripe-webhook", dependencies: ["StripeProvider", "FunctionSupport"], path: "Sources/Providers/Stripe/Functions/Webhook"),

        // PayPal.
        .target(name: "PayPalProvider", dependencies: ["PaymentsCore", crypto, cryptoExtras, x509, asn1], path: "Sources/Providers/PayPal/PayPalProvider"),
        .executableTarget(name: "paypal-payment", dependencies: ["PayPalProvider", "FunctionSupport"], path: "Sources/Providers/PayPal/Functions/Payment"),
        .executableTarget(name: "paypal-webhook", dependencies: ["PayPalProvider", "FunctionSupport"], path: "Sources/Providers/PayPal/Functions/Webhook"),

        // Braintree.
        .target(name: "BraintreeProvider", dependencies: ["PaymentsCore", crypto], path: "Sources/Providers/Braintree/BraintreeProvider"),
        .executableTarget(name: "braintree-payment", dependencies: ["BraintreeProvider", "FunctionSupport"], path: "Sources/Providers/Braintree/Functions/Payment"),
        .executableTarget(name: "braintree-webhook", dependencies: ["BraintreeProvider", "FunctionSupport"], path: "Sources/Providers/Braintree/Functions/Webhook"),

        // The outbox relay: the store's stream to the bus.
        .executableTarget(name: "outbox-relay", dependencies: ["FunctionSupport"], path: "Sources/Relay"),

        // The consumers of payment events: a library each (handler, stores, wiring) and its executable.
        .target(name: "DeliveryService", dependencies: ["PaymentsCore", "PaymentsSQLite", "AWSAdapters", crypto], path: "Sources/Services/Delivery/DeliveryService"),
        .executableTarget(name: "delivery", dependencies: ["DeliveryService", "FunctionSupport"], path: "Sources/Services/Delivery/Functions"),
        .target(name: "NotificationService", dependencies: ["PaymentsCore", "PaymentsSQLite", "AWSAdapters"], path: "Sources/Services/Notification/NotificationService"),
        .executableTarget(name: "notification", dependencies: ["NotificationService", "FunctionSupport"], path: "Sources/Services/Notification/Functions"),

        // The one definition of the event routing rules (events/rules.json), for the CLI's local bus and aws init.
        .target(name: "EventRules", path: "events", resources: [.copy("rules.json")]),

        // The local stack (tooling, not a function): the Lambda Runtime API emulator that runs the real
        // function binaries, the API Gateway in front of them, and the providers' simulators.
        .target(name: "LocalCloud", dependencies: [
            "PaymentsCore", .product(name: "Hummingbird", package: "hummingbird"),
            // The providers' simulators: the providers' own signature code, the PayPal simulator's key and certificate.
            "StripeProvider", "BraintreeProvider", "PayPalProvider", crypto, cryptoExtras, x509, asn1,
            .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // The functions of this build run locally (tooling, not a function): their registry, the in-process
        // runner, the local bus handing events to the consumers, the DynamoDB stream reader of `payments relay`.
        .target(name: "LocalCloudFunctions", dependencies: [
            "LocalCloud", "FunctionSupport", "LambdaRuntime", "PaymentsCore", "PaymentsSQLite", "PaymentsHTTP", "AWSAdapters", "EventRules",
            "StripeProvider", "PayPalProvider", "BraintreeProvider", "DeliveryService", "NotificationService",
        ]),

        // Command-line tool: local runtime, replay, inspection.
        .executableTarget(name: "payments", dependencies: [
            "FunctionSupport", "AWSAdapters", "StripeProvider", "PayPalProvider", "BraintreeProvider", "EventRules",
            "DeliveryService", "NotificationService", "LocalCloud", "LocalCloudFunctions",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks (release build): bench/run.sh drives it.
        .executableTarget(name: "payments-bench", dependencies: ["FunctionSupport", "AWSAdapters", "StripeProvider", "TestSupport", "BenchFloor"], path: "bench/Sources"),
        // The C floor the webhook path is compared with (OpenSSL's HMAC, SQLite's prepared statements).
        .target(name: "BenchFloor", path: "bench/Floor", linkerSettings: [.linkedLibrary("crypto"), .linkedLibrary("sqlite3")]),
        // A minimal C bootstrap (Runtime API over a socket, OpenSSL HMAC, a scan): the cold-start and loop floor.
        .executableTarget(name: "floor-bootstrap", path: "bench/FloorBootstrap", linkerSettings: [.linkedLibrary("crypto")]),

        // Test support: a tiny blocking HTTP/1.1 server on loopback (the in-test Lambda Runtime API,
        // provider fakes), and a seeded random number generator.
        .target(name: "TestSupport", path: "Tests/Support"),

        .testTarget(name: "PaymentsCoreTests", dependencies: [
            "PaymentsCore", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "AdaptersTests", dependencies: ["EventRules", "PaymentsSQLite", "PaymentsHTTP", "LambdaRuntime", "FunctionSupport", "AWSAdapters", "TestSupport"]),
        .testTarget(name: "ServicesTests", dependencies: [
            "DeliveryService", "NotificationService", "FunctionSupport", "AWSAdapters", "PaymentsSQLite", "PaymentsHTTP", "TestSupport",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        // The local stack: the Lambda emulator against real child processes (a Python fixture runtime, the
        // stripe-webhook binary), the gateway, the providers' simulators.
        .testTarget(name: "LocalCloudTests", dependencies: [
            "LocalCloud", "LocalCloudFunctions", "EventRules", "DeliveryService", "NotificationService", "AWSAdapters", "StripeProvider", "PayPalProvider", "BraintreeProvider", "PaymentsHTTP", "PaymentsSQLite",
            "FunctionSupport", "PaymentsCore", "TestSupport", crypto, cryptoExtras, x509, .product(name: "Hummingbird", package: "hummingbird"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "ProvidersTests", dependencies: [
            "StripeProvider", "PayPalProvider", "BraintreeProvider", "PaymentsSQLite", "FunctionSupport", "AWSAdapters", "TestSupport", crypto, cryptoExtras, x509,
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
    ]
)
