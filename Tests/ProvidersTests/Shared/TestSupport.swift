import Foundation
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter

/// A real SQLite store in a fresh temporary file.
func makeTemporaryStore() throws -> SQLitePaymentStore {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("payments-test-\(UUID().uuidString).sqlite").path
    return try SQLitePaymentStore(path: path)
}

/// A clock fixed at one instant; sleeping only records the wish.
final class FixedClock: WallClock, @unchecked Sendable {
    var instant: Date
    private(set) var slept: [Double] = []
    init(_ instant: Date) { self.instant = instant }
    func now() -> Date { instant }
    func sleep(seconds: Double) { slept.append(seconds) }
}

let testContext = InvocationContext(requestID: "test-request", logger: .discarding)

/// Files under Tests/Fixtures.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(path))
    }

    /// A recorded invocation, read by the strict reader the functions' runtime uses (not `Codable`,
    /// which would accept a repeated key or a field of the wrong type the runtime refuses).
    static func event(_ path: String) throws -> APIGatewayV2Request {
        try APIGatewayV2Request(event: Array(data(path)))
    }

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: data(path)) as? [String: Any] ?? [:]
    }
}

extension APIGatewayV2Request {
    /// The same request with one byte of its raw body changed (re-encoded if it was base64).
    func tampered(at offset: Int? = nil) -> APIGatewayV2Request {
        var bytes = rawBody() ?? []
        guard !bytes.isEmpty else { return self }
        let index = offset ?? bytes.count / 2
        bytes[index] = bytes[index] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        var copy = self
        copy.body = isBase64Encoded == true ? Data(bytes).base64EncodedString() : String(decoding: bytes, as: UTF8.self)
        return copy
    }

    /// The same request with its body base64-encoded, as API Gateway sends binary bodies.
    func base64Encoded() -> APIGatewayV2Request {
        var copy = self
        copy.body = Data(rawBody() ?? []).base64EncodedString()
        copy.isBase64Encoded = true
        return copy
    }

    func removingHeader(_ name: String) -> APIGatewayV2Request {
        var copy = self
        copy.headers = headers?.filter { $0.key.lowercased() != name.lowercased() }
        return copy
    }

    func settingHeader(_ name: String, _ value: String) -> APIGatewayV2Request {
        var copy = removingHeader(name)
        copy.headers?[name.lowercased()] = value
        return copy
    }
}

extension APIGatewayV2Response {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data((body ?? "").utf8))) as? [String: Any] ?? [:]
    }
}
