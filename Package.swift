// swift-tools-version: 6.1
import PackageDescription

// Function binaries depend only on the platform (Sources/Platform: its core, adapters and FunctionHost) and their
// service (a provider library, a service library): no Foundation (FoundationEssentials only), no SwiftNIO, so they start in milliseconds.
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let cryptoExtras: Target.Dependency = .product(name: "_CryptoExtras", package: "swift-crypto")
let x509: Target.Dependency = .product(name: "X509", package: "swift-certificates")
let asn1: Target.Dependency = .product(name: "SwiftASN1", package: "swift-asn1")

let package = Package(
    name: "payments",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Platform", targets: ["Platform"]),
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

        // The platform: what every service uses and that names none of them (a test keeps it so).
        // The function kit, Lambda's event shapes, the event kit (service events, outbox, drain), strict JSON.
        .target(name: "Platform", path: "Sources/Platform/Core"),
        // Its adapters: SQLite, libcurl, the AWS clients (SigV4 over the HTTP client), the Runtime API client.
        .target(name: "SQLiteAdapter", dependencies: ["Platform", "CSQLite"], path: "Sources/Platform/Adapters/SQLite"),
        .target(name: "CurlHTTP", dependencies: ["Platform", "CCurl"], path: "Sources/Platform/Adapters/Curl"),
        .target(name: "AWSClients", dependencies: ["Platform", crypto], path: "Sources/Platform/Adapters/AWS"),
        .target(name: "LambdaRuntimeClient", dependencies: ["Platform"], path: "Sources/Platform/Adapters/LambdaRuntime"),
        // What runs a function: its main, the runtime that builds and invokes its handler, secrets from SSM.
        .target(name: "FunctionHost", dependencies: ["Platform", "CurlHTTP", "AWSClients", "LambdaRuntimeClient", "CGlibcCompat"],
                path: "Sources/Platform/FunctionHost"),

        // The payments domain: money, payments, status machine, handlers, payment events. No I/O.
        .target(name: "PaymentsCore", dependencies: ["Platform", crypto]),
        // Where payments live (SQLite, DynamoDB) and how a payments function builds its store from PAYMENTS_STORE.
        .target(name: "PaymentsStores", dependencies: ["PaymentsCore", "SQLiteAdapter", "AWSClients"]),

        // Stripe.
        .target(name: "StripeProvider", dependencies: ["PaymentsCore", "PaymentsStores", crypto], path: "Sources/Providers/Stripe/StripeProvider"),
        .executableTarget(name: "stripe-payment", dependencies: ["StripeProvider", "FunctionHost"], path: "Sources/Providers/Stripe/Functions/Payment"),
        .executableTarget(name: "stripe-webhook", dependencies: ["StripeProvider", "FunctionHost"], path: "Sources/Providers/Stripe/Functions/Webhook"),

        // PayPal.
        .target(name: "PayPalProvider", dependencies: ["PaymentsCore", "PaymentsStores", crypto, cryptoExtras, x509, asn1], path: "Sources/Providers/PayPal/PayPalProvider"),
        .executableTarget(name: "paypal-payment", dependencies: ["PayPalProvider", "FunctionHost"], path: "Sources/Providers/PayPal/Functions/Payment"),
        .executableTarget(name: "paypal-webhook", dependencies: ["PayPalProvider", "FunctionHost"], path: "Sources/Providers/PayPal/Functions/Webhook"),

        // Braintree.
        .target(name: "BraintreeProvider", dependencies: ["PaymentsCore", "PaymentsStores", crypto], path: "Sources/Providers/Braintree/BraintreeProvider"),
        .executableTarget(name: "braintree-payment", dependencies: ["BraintreeProvider", "FunctionHost"], path: "Sources/Providers/Braintree/Functions/Payment"),
        .executableTarget(name: "braintree-webhook", dependencies: ["BraintreeProvider", "FunctionHost"], path: "Sources/Providers/Braintree/Functions/Webhook"),

        // The outbox relay: the store's stream to the bus.
        .target(name: "OutboxRelayFunction", dependencies: ["Platform", "AWSClients"], path: "Sources/Relay/OutboxRelayFunction"),
        .executableTarget(name: "outbox-relay", dependencies: ["OutboxRelayFunction", "FunctionHost"], path: "Sources/Relay/Function"),

        // The consumers of payment events: a library each (handler, stores, wiring) and its executable.
        .target(name: "DeliveryService", dependencies: ["PaymentsCore", "SQLiteAdapter", "AWSClients", crypto], path: "Sources/Services/Delivery/DeliveryService"),
        .executableTarget(name: "delivery", dependencies: ["DeliveryService", "FunctionHost"], path: "Sources/Services/Delivery/Functions"),
        .target(name: "NotificationService", dependencies: ["PaymentsCore", "SQLiteAdapter", "AWSClients"], path: "Sources/Services/Notification/NotificationService"),
        .executableTarget(name: "notification", dependencies: ["NotificationService", "FunctionHost"], path: "Sources/Services/Notification/Functions"),

        // The one definition of the event routing rules (events/rules.json), for the CLI's local bus and aws init.
        .target(name: "EventRules", path: "events", resources: [.copy("rules.json")]),

        // The local stack (tooling, not a function): the Lambda Runtime API emulator that runs the real
        // function binaries, the API Gateway in front of them, and the providers' simulators.
        .target(name: "LocalCloud", dependencies: [
            "Platform", "PaymentsCore", .product(name: "Hummingbird", package: "hummingbird"),
            // The providers' simulators: the providers' own signature code, the PayPal simulator's key and certificate.
            "StripeProvider", "BraintreeProvider", "PayPalProvider", crypto, cryptoExtras, x509, asn1,
            .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // The functions of this build run locally (tooling, not a function): their registry, the in-process
        // runner, the local bus handing events to the consumers, serve's and relay's composition.
        .target(name: "LocalCloudFunctions", dependencies: [
            "LocalCloud", "FunctionHost", "LambdaRuntimeClient", "Platform", "PaymentsCore", "PaymentsStores", "SQLiteAdapter", "CurlHTTP",
            "AWSClients", "EventRules", "OutboxRelayFunction", "StripeProvider", "PayPalProvider", "BraintreeProvider",
            "DeliveryService", "NotificationService",
        ]),

        // Command-line tool: local runtime, replay, inspection.
        .executableTarget(name: "payments", dependencies: [
            "Platform", "PaymentsCore", "PaymentsStores", "SQLiteAdapter", "CurlHTTP", "FunctionHost", "AWSClients", "OutboxRelayFunction", "StripeProvider", "PayPalProvider", "BraintreeProvider", "EventRules",
            "DeliveryService", "NotificationService", "LocalCloud", "LocalCloudFunctions",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks (release build): bench/run.sh drives it.
        .executableTarget(name: "payments-bench", dependencies: ["Platform", "PaymentsCore", "PaymentsStores", "SQLiteAdapter", "CurlHTTP", "FunctionHost", "AWSClients", "StripeProvider", "TestSupport", "BenchFloor"], path: "bench/Sources"),
        // The C floor the webhook path is compared with (OpenSSL's HMAC, SQLite's prepared statements).
        .target(name: "BenchFloor", path: "bench/Floor", linkerSettings: [.linkedLibrary("crypto"), .linkedLibrary("sqlite3")]),
        // A minimal C bootstrap (Runtime API over a socket, OpenSSL HMAC, a scan): the cold-start and loop floor.
        .executableTarget(name: "floor-bootstrap", path: "bench/FloorBootstrap", linkerSettings: [.linkedLibrary("crypto")]),

        // Test support: a tiny blocking HTTP/1.1 server on loopback (the in-test Lambda Runtime API,
        // provider fakes), and a seeded random number generator.
        .target(name: "TestSupport", path: "Tests/Support"),

        // The platform: its event kit and JSON, and a test that keeps it free of every service's names.
        .testTarget(name: "PlatformTests", dependencies: [
            "Platform", "SQLiteAdapter", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "PaymentsCoreTests", dependencies: [
            "Platform", "PaymentsCore", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "AdaptersTests", dependencies: ["EventRules", "OutboxRelayFunction", "Platform", "PaymentsCore", "PaymentsStores", "SQLiteAdapter", "CurlHTTP", "LambdaRuntimeClient", "FunctionHost", "AWSClients", "TestSupport"]),
        .testTarget(name: "ServicesTests", dependencies: [
            "Platform", "PaymentsCore", "PaymentsStores", "OutboxRelayFunction", "DeliveryService", "NotificationService", "FunctionHost", "AWSClients", "SQLiteAdapter", "CurlHTTP", "TestSupport",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        // The local stack: the Lambda emulator against real child processes (a Python fixture runtime, the
        // stripe-webhook binary), the gateway, the providers' simulators.
        .testTarget(name: "LocalCloudTests", dependencies: [
            "LocalCloud", "LocalCloudFunctions", "EventRules", "DeliveryService", "NotificationService", "StripeProvider", "PayPalProvider", "BraintreeProvider", "CurlHTTP", "SQLiteAdapter", "Platform", "PaymentsStores",
            "FunctionHost", "PaymentsCore", "TestSupport", crypto, cryptoExtras, x509, .product(name: "Hummingbird", package: "hummingbird"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "ProvidersTests", dependencies: [
            "Platform", "PaymentsCore", "PaymentsStores", "StripeProvider", "PayPalProvider", "BraintreeProvider", "SQLiteAdapter", "CurlHTTP", "FunctionHost", "AWSClients", "TestSupport", crypto, cryptoExtras, x509,
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
    ]
)
