/// What this service sends over HTTP, checked before a connection is made: only `https`, or `http` to
/// this machine (loopback: the local simulators, moto, test servers); no user info in a URL; no CR, LF
/// or NUL in a URL, a method, a header name or value (each would let a value that reached a header
/// split it into another header or request).
public enum OutboundHTTPPolicy {
    /// Why `url` may not be called, or nil when it may.
    public static func refusal(of url: String) -> String? {
        guard !url.utf8.contains(where: isControlOrSpace) else { return "the URL holds a control character or a space" }
        guard let schemeEnd = url.utf8.firstIndex(of: UInt8(ascii: ":")),
              url.utf8[schemeEnd...].starts(with: "://".utf8)
        else { return "the URL has no scheme" }
        let scheme = String(url[..<schemeEnd]).lowercased()
        guard scheme == "https" || scheme == "http" else { return "only https is allowed (the URL is \(scheme))" }
        let rest = url.utf8[url.utf8.index(schemeEnd, offsetBy: 3)...]
        let authority = rest.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        guard !authority.contains(UInt8(ascii: "@")) else { return "the URL holds user information" }
        guard !authority.contains(UInt8(ascii: "\\")) else { return "the URL's host holds a backslash" }
        guard let host = host(of: String(Substring(authority))) else { return "the URL has no valid host" }
        guard scheme == "https" || isLoopback(host: host) else { return "http is allowed only to loopback (127.0.0.0/8, ::1, localhost)" }
        return nil
    }

    /// The host of `host[:port]` or `[v6][:port]`, lower-cased; nil when empty or the port is not a number.
    static func host(of authority: String) -> String? {
        var host = Substring(authority)
        var port: Substring = ""
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            port = host[host.index(after: close)...]
            host = host[...close]
        } else if let colon = host.firstIndex(of: ":") {
            port = host[colon...]
            host = host[..<colon]
        }
        if !port.isEmpty {
            guard port.hasPrefix(":"), port.count > 1, port.count <= 6, port.dropFirst().allSatisfy(\.isASCIIDigit) else { return nil }
        }
        return host.isEmpty ? nil : host.lowercased()
    }

    /// `localhost`, `[::1]` or `127.x.y.z` written plainly (four decimal parts, no leading zeros).
    package static func isLoopback(host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "[::1]" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (part == "0" || part.first != "0") && Int(part)! <= 255
        }
    }

    /// Why the request's method or headers may not be sent, or nil when they may.
    public static func refusal(of request: HTTPRequest) -> String? {
        if let reason = refusal(of: request.url) { return reason }
        guard !request.method.isEmpty, request.method.utf8.allSatisfy(isTokenByte) else { return "the method is not an HTTP token" }
        for header in request.headers {
            guard !header.name.isEmpty, header.name.utf8.allSatisfy(isTokenByte) else {
                return "a header name is not an HTTP token (it may hold CR, LF, NUL, a space or a colon)"
            }
            guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else {
                return "the value of header \(header.name) holds CR, LF or NUL"
            }
        }
        return nil
    }

    static func isControlOrSpace(_ byte: UInt8) -> Bool { byte <= 0x20 || byte == 0x7F }

    /// RFC 9110's tchar.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

/// A request this service refused to send, or a response it refused to take (too large): never
/// retried, since sending it again would meet the same refusal.
public struct OutboundHTTPRefusal: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension FunctionDependencies {
    /// A provider's API base URL from the setting `name` (unset or empty: `defaultValue`): https, or
    /// http only to loopback (the local simulators). Anything else stops the function at init, with an
    /// error naming the setting, since credentials would otherwise travel in clear text.
    public func providerBaseURL(_ name: String, default defaultValue: String) throws(ConfigurationError) -> String {
        let value = environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? defaultValue
        guard OutboundHTTPPolicy.refusal(of: value) == nil else {
            throw ConfigurationError("\(name) must be an https URL (http only to 127.0.0.1, ::1 or localhost)")
        }
        return value
    }
}
