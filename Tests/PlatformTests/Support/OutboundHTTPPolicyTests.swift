import Platform
import Testing

@Suite struct OutboundHTTPPolicyTests {
    @Test func httpsAnywhereAndHTTPOnlyToLoopback() {
        for allowed in ["https://api.stripe.com", "https://api-m.sandbox.paypal.com/v1/x?y=1", "https://dynamodb.eu-west-1.amazonaws.com/",
                        "HTTPS://api.stripe.com", "https://[2001:db8::1]:8443/x", "http://127.0.0.1:4010", "http://127.0.0.1",
                        "http://127.255.0.9:5000/path", "http://localhost:8080/", "http://LOCALHOST/", "http://[::1]:5000/"] {
            #expect(OutboundHTTPPolicy.refusal(of: allowed) == nil, "\(allowed)")
        }
        for refused in ["http://api.stripe.com", "http://10.0.0.1/", "http://0.0.0.0:80/", "http://128.0.0.1/", "http://127.0.0.1.evil.example/",
                        "http://127.1/", "http://0177.0.0.1/", "http://127.0.0.256/", "http://[::ffff:127.0.0.1]/", "http://localhost.evil.example/",
                        "http://127.0.0.1@evil.example/", "https://user:pass@api.stripe.com/", "http://evil.example#@127.0.0.1/",
                        "ftp://127.0.0.1/", "file:///etc/passwd", "gopher://127.0.0.1/", "api.stripe.com", "https://", "https:///x",
                        "https://api.stripe.com:port/", "https://api.stripe.com/a b", "https://api.stripe.com/\r\nX: y", "http://127.0.0.1\\@evil/", ""] {
            #expect(OutboundHTTPPolicy.refusal(of: refused) != nil, "\(refused)")
        }
    }

    @Test func requestHeadersMayNotSplitTheRequest() {
        let url = "https://api.stripe.com/v1/x"
        #expect(OutboundHTTPPolicy.refusal(of: HTTPRequest(method: "POST", url: url, headers: [("Idempotency-Key", "k\t1")])) == nil)
        for (name, value) in [("Idempotency-Key", "k\r\nX-Evil: 1"), ("A", "\n"), ("A", "\r"), ("A", "\u{0}"), ("A\r\nB", "v"), ("A B", "v"), ("A:", "v"), ("", "v")] {
            #expect(OutboundHTTPPolicy.refusal(of: HTTPRequest(method: "POST", url: url, headers: [(name, value)])) != nil, "\(name.debugDescription)")
        }
        #expect(OutboundHTTPPolicy.refusal(of: HTTPRequest(method: "GET /x HTTP/1.1\r\n", url: url)) != nil)
        #expect(OutboundHTTPPolicy.refusal(of: HTTPRequest(method: "", url: url)) != nil)
    }

    @Test func aProviderBaseURLThatIsNotHTTPSOutsideLoopbackIsAnInitErrorNamingTheSetting() throws {
        func base(_ value: String?) throws(ConfigurationError) -> String {
            let dependencies = FunctionDependencies(clock: SystemClock(), httpClient: NoHTTP(),
                                                    environment: value.map { ["STRIPE_API_BASE": $0] } ?? [:], logger: .discarding)
            return try dependencies.providerBaseURL("STRIPE_API_BASE", default: "https://api.stripe.com")
        }
        #expect(try base(nil) == "https://api.stripe.com")
        #expect(try base("") == "https://api.stripe.com")
        #expect(try base("http://127.0.0.1:4010") == "http://127.0.0.1:4010")
        for value in ["http://api.stripe.com", "http://10.1.2.3:4010", "ftp://api.stripe.com", "https://user:secretvalue@api.stripe.com"] {
            #expect {
                _ = try base(value)
            } throws: { error in
                let text = String(describing: error)
                return text.contains("STRIPE_API_BASE") && !text.contains(value) && !text.contains("secretvalue")
            }
        }
    }

    struct NoHTTP: HTTPClient {
        func send(_ request: HTTPRequest) throws -> HTTPResponse { throw HTTPTransportError("no network in this test") }
    }
}
