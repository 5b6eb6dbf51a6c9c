import Foundation
import Testing
import Platform

/// Provider detail lives in each provider's folder: the core names none of them, not even in comments.
@Suite struct CoreIsProviderNeutralTests {
    @Test func noProviderNameInPaymentsCore() throws {
        let core = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/PaymentsCore")
        let files = try #require(FileManager.default.enumerator(atPath: core.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 10)
        for file in files {
            let text = try String(contentsOf: core.appendingPathComponent(file), encoding: .utf8).lowercased()
            for name in ["stripe", "paypal", "braintree"] {
                #expect(!text.contains(name), "\(file) names \(name)")
            }
        }
    }
}
