import Foundation
import Synchronization
import PaymentsCore

/// An HTTPClient that answers from a closure and records every request: a provider's API in unit tests.
final class FakeHTTPClient: HTTPClient, Sendable {
    private let recorded = Mutex<[HTTPRequest]>([])
    private let answer: @Sendable (HTTPRequest, Int) throws -> HTTPResponse

    init(answer: @escaping @Sendable (HTTPRequest, Int) throws -> HTTPResponse) {
        self.answer = answer
    }

    convenience init(status: Int, fixture: String) throws {
        let body = Array(try Fixtures.data(fixture))
        self.init { _, _ in HTTPResponse(status: status, headers: ["content-type": "application/json"], body: body) }
    }

    var requests: [HTTPRequest] { recorded.withLock { $0 } }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let count = recorded.withLock { $0.append(request); return $0.count }
        return try answer(request, count)
    }
}

extension HTTPRequest {
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var form: [String: String] {
        Dictionary((FormURLEncoding.decode(body) ?? []).map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
    }
}
