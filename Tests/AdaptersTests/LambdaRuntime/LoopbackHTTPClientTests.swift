import Foundation
import Synchronization
import XCTest
import PaymentsCore
import Platform
@testable import LambdaRuntimeClient
import TestSupport

/// The Runtime API client without libcurl: the loop works over it, several requests share one
/// connection, and chunked, close-delimited and reconnecting answers are read correctly.
final class LoopbackHTTPClientTests: XCTestCase {
    func testTheRuntimeLoopServesInvocationsOverIt() throws {
        let api = try FakeRuntimeAPI(events: [("req-1", #"{"n":1}"#), ("req-2", "boom"), ("req-3", String(repeating: "x", count: 200_000))])
        defer { api.server.stop() }
        let loop = LambdaRuntimeLoop(api: api.server.address, client: LoopbackHTTPClient(address: api.server.address), logger: .discarding)
        struct Boom: Error {}
        try loop.run(limit: 3, handler: { invocation in
            guard invocation.event != Array("boom".utf8) else { throw Boom() }
            return Array("echo:".utf8) + invocation.event.prefix(10)
        })
        XCTAssertEqual(api.posts.map(\.path), [
            "/2018-06-01/runtime/invocation/req-1/response",
            "/2018-06-01/runtime/invocation/req-2/error",
            "/2018-06-01/runtime/invocation/req-3/response",
        ])
        XCTAssertEqual(api.posts[0].body, #"echo:{"n":1}"#)
        XCTAssertEqual(api.posts[1].errorType, "Runtime.Boom")
        XCTAssertEqual(api.posts[2].body, "echo:xxxxxxxxxx")
    }

    func testKeepsOneConnectionReadsChunkedAnswersAndReconnectsAfterAClose() throws {
        let server = try RawServer(answers: [
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nfirst",
            "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end",
            "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext",
        ], closeAfter: [2])
        defer { server.stop() }
        let client = LoopbackHTTPClient(address: "127.0.0.1:\(server.port)")
        let first = try client.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/a", timeout: 5))
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.header("x-a"), "1")
        XCTAssertEqual(String(decoding: first.body, as: UTF8.self), "first")
        let second = try client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/b", body: Array("hi".utf8), timeout: 5))
        XCTAssertEqual(second.status, 202)
        XCTAssertEqual(String(decoding: second.body, as: UTF8.self), "abcdefg")
        let third = try client.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/c", timeout: 5))
        XCTAssertEqual(String(decoding: third.body, as: UTF8.self), "until the end")
        let fourth = try client.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/d", timeout: 5))
        XCTAssertEqual(String(decoding: fourth.body, as: UTF8.self), "next")
        XCTAssertEqual(server.connections, 2, "one connection until the server closed it, then one more")
        XCTAssertEqual(server.requests.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }, ["GET /a", "POST /b", "GET /c", "GET /d"])
        XCTAssertTrue(server.requests[1].hasSuffix("\r\n\r\nhi"))
    }

    func testTheResponseHeadIsReadAsBytes() throws {
        let head = Array("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nX-Twice:  a\r\nx-twice:\tb\r\nNo-Colon\r\nX-Lone: c\rd".utf8)
        let (status, headers) = try LoopbackHTTPClient.parseHead(head[...])
        XCTAssertEqual(status, 202)
        XCTAssertEqual(headers, ["content-type": "application/json", "x-twice": "a, b", "x-lone": "c\rd"])
        for bad in ["", "HTTP/1.1", "HTTP/2 200 OK", "ICY 200 OK", "HTTP/1.1 abc OK"] {
            XCTAssertThrowsError(try LoopbackHTTPClient.parseHead(Array(bad.utf8)[...]), bad)
        }
    }

    func testANonLoopbackURLIsRefused() {
        XCTAssertThrowsError(try LoopbackHTTPClient(address: "127.0.0.1:1").send(HTTPRequest(method: "GET", url: "https://api.stripe.com/v1")))
    }
}

/// A server that answers each request with the next canned answer, byte for byte, and closes the
/// connection after the answers whose index is in `closeAfter`.
final class RawServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let state = Mutex<(requests: [String], connections: Int)>(([], 0))
    private var thread = pthread_t()

    init(answers: [String], closeAfter: Set<Int>) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 4)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let job = Unmanaged.passRetained(Job(server: self, answers: answers, closeAfter: closeAfter)).toOpaque()
        pthread_create(&thread, nil, { context in
            let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
            job.run()
            return nil
        }, job)
    }

    var requests: [String] { state.withLock { $0.requests } }
    var connections: Int { state.withLock { $0.connections } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        pthread_join(thread, nil)
    }

    final class Job: @unchecked Sendable {
        let server: RawServer
        let answers: [String]
        let closeAfter: Set<Int>
        init(server: RawServer, answers: [String], closeAfter: Set<Int>) {
            self.server = server
            self.answers = answers
            self.closeAfter = closeAfter
        }

        func run() {
            var index = 0
            while index < answers.count {
                let client = accept(server.listener, nil, nil)
                guard client >= 0 else { return }
                server.state.withLock { $0.connections += 1 }
                while index < answers.count {
                    var chunk = [UInt8](repeating: 0, count: 65536)
                    let count = recv(client, &chunk, chunk.count, 0)
                    guard count > 0 else { break }
                    server.state.withLock { $0.requests.append(String(decoding: chunk[..<count], as: UTF8.self)) }
                    let answer = Array(answers[index].utf8)
                    _ = answer.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    let closing = closeAfter.contains(index)
                    index += 1
                    if closing { break }
                }
                close(client)
            }
        }
    }
}
