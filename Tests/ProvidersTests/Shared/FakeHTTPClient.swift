import Foundation
import Synchronization
import PaymentsCore
import Platform

/// An HTTPClient that answers from a closure and records every request: a provider's API in unit tests.
final class FakeHTTPClient: HTTPClient, Sendable {
    private let recorded = Mutex<[HTTPRequest]>([])
    private let answer: @Sendable (HTTPRequest, Int) throws -> HTTPResponse

    /// Answers each request; `call` counts from 1.
    init(answerByCall answer: @escaping @Sendable (_ request: HTTPRequest, _ call: Int) throws -> HTTPResponse) {
        self.answer = answer
    }

    convenience init(answer: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        self.init(answerByCall: { request, _ in try answer(request) })
    }

    convenience init(status: Int, fixture: String) throws {
        let body = Array(try Fixtures.data(fixture))
        self.init { _ in HTTPResponse(status: status, headers: ["content-type": "application/json"], body: body) }
    }

    var requests: [HTTPRequest] { recorded.withLock { $0 } }
    func requests(endingWith suffix: String) -> [HTTPRequest] { requests.filter { $0.url.hasSuffix(suffix) } }

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
