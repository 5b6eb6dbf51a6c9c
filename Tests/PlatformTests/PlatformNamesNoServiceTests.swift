import Foundation
import Testing

/// The platform serves every service and names none of them, not even in comments: a service's names,
/// providers and event sources live in its own folder. (The CLI is named where a message tells a user
/// which command to run: "`payments invoke`".)
@Suite struct PlatformNamesNoServiceTests {
    static let forbidden = ["payment", "stripe", "paypal", "braintree", "deliveryservice", "delivery_store", "shipment", "catalog", "refund",
                            "shop.", "notification_store", "notificationservice"]

    @Test func noServiceNameInThePlatform() throws {
        let platform = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Platform")
        let files = try #require(FileManager.default.enumerator(atPath: platform.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 40, "the platform's files were found")
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: platform.appendingPathComponent(file), encoding: .utf8).lowercased()
                .replacingOccurrences(of: "`payments ", with: "`cli ")
            for name in Self.forbidden where text.contains(name) {
                found.append("\(file) names \(name)")
            }
        }
        #expect(found == [])
    }
}
