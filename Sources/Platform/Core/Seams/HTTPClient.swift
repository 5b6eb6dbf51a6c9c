/// Outgoing HTTP, as the providers and the Lambda Runtime API need it. libcurl in production.
public protocol HTTPClient: Sendable {
    func send(_ request: HTTPRequest) throws -> HTTPResponse
}

public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Seconds for the whole exchange; nil waits as long as it takes (the Runtime API's long poll).
    public var timeout: Double?
    /// Safe to send again: a GET, or a POST the provider de-duplicates by an idempotency key.
    public var isIdempotent: Bool

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                timeout: Double? = 30, isIdempotent: Bool = false) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.isIdempotent = isIdempotent
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// The exchange did not complete: no connection, a timeout, a broken transfer. Never carries secrets.
public struct HTTPTransportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
