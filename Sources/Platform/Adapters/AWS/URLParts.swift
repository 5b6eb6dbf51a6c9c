import Platform

/// The pieces of a request URL that SigV4 signs, split the way Python's `urlsplit` splits them
/// (botocore's reference behaviour). Lenient: text that is not a URL yields empty parts, not an error,
/// because a request that cannot be signed properly is refused by AWS anyway.
struct URLParts: Equatable {
    /// The `host` header value a client sends for this URL: lower-cased, IPv6 literals in brackets,
    /// the port only when it is not the scheme's default (curl sends `Host` the same way).
    var host: String
    /// As written in the URL, still percent-encoded; empty when the URL has no path.
    var path: String
    /// As written after `?`, without the fragment; empty when there is none.
    var query: String

    init(_ url: String) {
        var rest = Substring(url)
        var scheme = ""
        if let separator = rest.firstRange(of: "://") {
            scheme = rest[..<separator.lowerBound].lowercased()
            rest = rest[separator.upperBound...]
        }
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        var authority = Substring("")
        if !scheme.isEmpty {
            let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            authority = rest[..<end]
            rest = rest[end...]
        }
        if let mark = rest.firstIndex(of: "?") {
            path = String(rest[..<mark])
            query = String(rest[rest.index(after: mark)...])
        } else {
            path = String(rest)
            query = ""
        }
        host = Self.hostHeader(authority: authority, scheme: scheme)
    }

    private static func hostHeader(authority: Substring, scheme: String) -> String {
        var hostAndPort = authority
        if let at = hostAndPort.lastIndex(of: "@") { hostAndPort = hostAndPort[hostAndPort.index(after: at)...] }
        let name: Substring
        var port: Substring = ""
        if hostAndPort.hasPrefix("["), let close = hostAndPort.firstIndex(of: "]") {
            name = hostAndPort[...close]
            let after = hostAndPort[hostAndPort.index(after: close)...]
            if after.hasPrefix(":") { port = after.dropFirst() }
        } else if let colon = hostAndPort.lastIndex(of: ":") {
            name = hostAndPort[..<colon]
            port = hostAndPort[hostAndPort.index(after: colon)...]
        } else {
            name = hostAndPort
        }
        let host = name.lowercased()
        // `Int` normalises the port as Python does ("05000" is 5000); an unparseable port is left out.
        guard let number = Int(port), number != defaultPorts[scheme] else { return host }
        return "\(host):\(number)"
    }

    private static let defaultPorts = ["http": 80, "https": 443]
}
