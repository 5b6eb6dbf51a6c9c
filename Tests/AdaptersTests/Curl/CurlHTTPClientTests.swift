import Foundation
import Synchronization
import XCTest
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport

final class CurlHTTPClientTests: XCTestCase {
    func testSendsMethodHeadersAndBodyAndReadsTheAnswer() throws {
        let seen = Mutex<[TestHTTPServer.Request]>([])
        let server = try TestHTTPServer { request in
            seen.withLock { $0.append(request) }
            return .init(status: 201, headers: ["X-Answer": "yes", "Content-Type": "application/json"], text: #"{"ok":true}"#)
        }
        defer { server.stop() }
        let client = CurlHTTPClient()
        let response = try client.send(HTTPRequest(method: "POST", url: "\(server.baseURL)/v1/things?x=1",
                                                   headers: [("Authorization", "Bearer k"), ("Content-Type", "application/x-www-form-urlencoded")],
                                                   body: Array("a=1&b=2".utf8)))
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.header("x-answer"), "yes")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), #"{"ok":true}"#)
        let request = try XCTUnwrap(seen.withLock { $0.first })
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/v1/things?x=1")
        XCTAssertEqual(request.header("authorization"), "Bearer k")
        XCTAssertEqual(String(decoding: request.body, as: UTF8.self), "a=1&b=2")
        XCTAssertNil(request.header("expect"))

        let get = try client.send(HTTPRequest(method: "GET", url: "\(server.baseURL)/again"))
        XCTAssertEqual(get.status, 201)
        XCTAssertEqual(seen.withLock { $0.last?.method }, "GET")
    }

    func testARefusedConnectionIsATransportErrorWithoutTheQuery() throws {
        let server = try TestHTTPServer { _ in .init(status: 200) }
        let url = "\(server.baseURL)/v1?token=secret"
        server.stop()
        XCTAssertThrowsError(try CurlHTTPClient().send(HTTPRequest(method: "GET", url: url, timeout: 2))) { error in
            XCTAssertTrue(error is HTTPTransportError)
            XCTAssertFalse(String(describing: error).contains("secret"))
        }
    }

    func testATimeoutIsATransportError() throws {
        let server = try TestHTTPServer { _ in
            usleep(1_500_000)
            return .init(status: 200)
        }
        defer { server.stop() }
        XCTAssertThrowsError(try CurlHTTPClient().send(HTTPRequest(method: "GET", url: server.baseURL, timeout: 0.3))) { error in
            XCTAssertTrue(error is HTTPTransportError, "\(error)")
        }
    }

    func testIdempotentRequestsAreRetriedOn5xxAnd429WithBackoff() throws {
        let calls = Atomic<Int>(0)
        let server = try TestHTTPServer { _ in
            let n = calls.add(1, ordering: .relaxed).newValue
            return n == 1 ? .init(status: 503) : n == 2 ? .init(status: 429, headers: ["Retry-After": "1"]) : .init(status: 200)
        }
        defer { server.stop() }
        let clock = RecordingClock()
        let client = RetryingHTTPClient(base: CurlHTTPClient(), clock: clock, maxAttempts: 3, initialBackoff: 0.2)
        let response = try client.send(HTTPRequest(method: "POST", url: server.baseURL, isIdempotent: true))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(calls.load(ordering: .relaxed), 3)
        XCTAssertEqual(clock.sleeps, [0.2, 1.0], "backoff, then the server's Retry-After")
    }

    func testNonIdempotentRequestsGoOutOnce() throws {
        let calls = Atomic<Int>(0)
        let server = try TestHTTPServer { _ in
            calls.add(1, ordering: .relaxed)
            return .init(status: 500)
        }
        defer { server.stop() }
        let client = RetryingHTTPClient(base: CurlHTTPClient(), clock: RecordingClock())
        XCTAssertEqual(try client.send(HTTPRequest(method: "POST", url: server.baseURL)).status, 500)
        XCTAssertEqual(calls.load(ordering: .relaxed), 1)
    }

    func testTransportErrorsAreRetriedThenReported() throws {
        let server = try TestHTTPServer { _ in .init(status: 200) }
        let url = server.baseURL
        server.stop()
        let clock = RecordingClock()
        let client = RetryingHTTPClient(base: CurlHTTPClient(), clock: clock, maxAttempts: 3, initialBackoff: 0.1)
        XCTAssertThrowsError(try client.send(HTTPRequest(method: "GET", url: url, timeout: 1, isIdempotent: true)))
        XCTAssertEqual(clock.sleeps, [0.1, 0.2])
    }
}

final class RecordingClock: WallClock, @unchecked Sendable {
    private let recorded = Mutex<[Double]>([])
    var sleeps: [Double] { recorded.withLock { $0 } }
    func now() -> Date { Date(timeIntervalSince1970: 1_764_000_000) }
    func sleep(seconds: Double) { recorded.withLock { $0.append(seconds) } }
}
