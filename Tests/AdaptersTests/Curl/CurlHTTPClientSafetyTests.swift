import Foundation
import Synchronization
import Testing
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport

/// What `CurlHTTPClient` refuses to send or take: an unverifiable TLS peer, http beyond loopback,
/// headers that would split the request, answers larger than its limit.
@Suite struct CurlHTTPClientSafetyTests {
    /// A loopback server counting the requests that reached it.
    final class CountingServer: Sendable {
        final class Counter: Sendable { let calls = Atomic<Int>(0) }
        let counter = Counter()
        let server: TestHTTPServer
        init(_ response: TestHTTPServer.Response = .init(status: 200, text: "ok")) throws {
            let counter = self.counter
            server = try TestHTTPServer { _ in
                counter.calls.add(1, ordering: .relaxed)
                return response
            }
        }
        var count: Int { counter.calls.load(ordering: .relaxed) }
        deinit { server.stop() }
    }

    @Test func aSelfSignedProviderEndpointFailsTLS() throws {
        let server = try SelfSignedHTTPSServer()
        defer { server.stop() }
        #expect {
            _ = try CurlHTTPClient().send(HTTPRequest(method: "POST", url: "\(server.baseURL)/v1/payment_intents",
                                                      headers: [("Authorization", "Bearer sk_test_not_for_a_stranger")], timeout: 10))
        } throws: { error in
            // CURLE_PEER_FAILED_VERIFICATION: the handshake happened and the certificate was refused.
            error is HTTPTransportError && String(describing: error).contains("certificate")
        }
        #expect(server.requestsServed() == 0, "no request was sent over the unverified connection")
    }

    @Test func httpIsRefusedBeyondLoopbackBeforeAnyConnection() throws {
        let counting = try CountingServer()
        let port = counting.server.port
        // 0.0.0.0 reaches this machine's server on Linux: refused by the policy, never by the network.
        for url in ["http://0.0.0.0:\(port)/", "http://127.0.0.1@0.0.0.0:\(port)/", "http://[::ffff:127.0.0.1]:\(port)/",
                    "http://0177.0.0.1:\(port)/", "http://127.1:\(port)/", "http://localhost.:\(port)/",
                    "ftp://127.0.0.1:\(port)/", "gopher://127.0.0.1:\(port)/", "file:///etc/passwd", "dict://127.0.0.1:\(port)/"] {
            #expect(throws: OutboundHTTPRefusal.self, "\(url)") {
                _ = try CurlHTTPClient().send(HTTPRequest(method: "GET", url: url, timeout: 2))
            }
        }
        #expect(counting.count == 0)
        // The same server by a loopback name is reached: the refusals above were the policy's.
        for url in ["http://127.0.0.1:\(port)/", "http://localhost:\(port)/", "http://127.0.0.1:\(port)/?x=1"] {
            #expect(try CurlHTTPClient().send(HTTPRequest(method: "GET", url: url, timeout: 5)).status == 200, "\(url)")
        }
        #expect(counting.count == 3)
    }

    @Test func headersWithCRLFOrNULAreRefusedBeforeTheRequest() throws {
        let counting = try CountingServer()
        let url = counting.server.baseURL
        let bad: [(String, String)] = [
            ("X-Note", "a\r\nX-Injected: yes"), ("X-Note", "a\nb"), ("X-Note", "a\rb"), ("X-Note", "a\u{0}b"),
            ("X-Bad\r\nName", "v"), ("X Bad", "v"), ("X-Bad:", "v"), ("", "v"),
        ]
        for (name, value) in bad {
            #expect(throws: OutboundHTTPRefusal.self, "\(name.debugDescription): \(value.debugDescription)") {
                _ = try CurlHTTPClient().send(HTTPRequest(method: "POST", url: url, headers: [(name, value)], body: [1]))
            }
        }
        #expect(throws: OutboundHTTPRefusal.self) { _ = try CurlHTTPClient().send(HTTPRequest(method: "GET\r\nX: y", url: url)) }
        #expect(throws: OutboundHTTPRefusal.self) { _ = try CurlHTTPClient().send(HTTPRequest(method: "GET", url: url + "/a\r\nX: y")) }
        #expect(counting.count == 0)
        // A tab inside a value is allowed (RFC 9110 field content).
        #expect(try CurlHTTPClient().send(HTTPRequest(method: "GET", url: url, headers: [("X-Note", "a\tb")])).status == 200)
    }

    @Test func anOversizedResponseIsRefusedAnnouncedOrNot() throws {
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 2 << 20)
        var unannounced = TestHTTPServer.Response(status: 200, body: big)
        unannounced.closeDelimited = true
        for response in [TestHTTPServer.Response(status: 200, body: big), unannounced] {
            let counting = try CountingServer(response)
            #expect {
                _ = try CurlHTTPClient().send(HTTPRequest(method: "GET", url: counting.server.baseURL))
            } throws: { error in
                error is OutboundHTTPRefusal && String(describing: error).contains("more than \(CurlHTTPClient.defaultMaximumResponseBytes) bytes")
            }
            // The limit is the client's: a larger one takes the same answer.
            let roomy = CurlHTTPClient(maximumResponseBytes: 4 << 20)
            #expect(try roomy.send(HTTPRequest(method: "GET", url: counting.server.baseURL)).body.count == big.count)
        }
    }

    @Test func refusalsAreNotRetried() throws {
        let counting = try CountingServer()
        let client = RetryingHTTPClient(base: CurlHTTPClient(), clock: SystemClock())
        #expect(throws: OutboundHTTPRefusal.self) {
            _ = try client.send(HTTPRequest(method: "GET", url: "http://0.0.0.0:\(counting.server.port)/", isIdempotent: true))
        }
        #expect(counting.count == 0)
    }
}
