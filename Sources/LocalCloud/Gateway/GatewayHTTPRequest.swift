/// An HTTP request as the gateway received it, before it becomes an event: independent of the server
/// library, so that building the event is a pure function that tests can drive directly.
public struct GatewayHTTPRequest: Sendable {
    public var method: String
    /// The request target as sent: path and raw query, still percent-encoded ("/a%20b?x=1&y").
    public var target: String
    /// Header fields in the order received, names as sent; repeated fields stay separate.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The peer's IP address.
    public var sourceIP: String
    /// "HTTP/1.1".
    public var httpVersion: String

    public init(method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                sourceIP: String = "127.0.0.1", httpVersion: String = "HTTP/1.1") {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.sourceIP = sourceIP
        self.httpVersion = httpVersion
    }

    /// The path part of the target, raw.
    public var rawPath: String {
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return path.isEmpty ? "/" : path
    }

    /// Everything after the first `?`, raw; empty without one.
    public var rawQueryString: String {
        guard let mark = target.firstIndex(of: "?") else { return "" }
        return String(target[target.index(after: mark)...])
    }

    /// Every value of a header, ignoring the name's case.
    public func values(of name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }
}
