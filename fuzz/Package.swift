// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for the parsers that read what an attacker sends (scripts/fuzz.sh builds and
// runs them; docs/security.md, "Fuzzing"). A package of its own, so the project's `swift build`
// never builds them: they need `--sanitize fuzzer`, and libFuzzer brings its own `main`.
let package = Package(
    name: "payments-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "payments", path: ".."),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
    ],
    targets: [
        .executableTarget(
            name: "payments-fuzz",
            dependencies: [
                .product(name: "Platform", package: "payments"),
                .product(name: "PaymentsCore", package: "payments"),
                .product(name: "StripeProvider", package: "payments"),
                .product(name: "PayPalProvider", package: "payments"),
                .product(name: "BraintreeProvider", package: "payments"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            path: "Sources",
            // No top-level code: libFuzzer's main calls LLVMFuzzerTestOneInput.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
