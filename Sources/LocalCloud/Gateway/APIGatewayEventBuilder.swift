#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// Builds the event an HTTP API (payload format 2.0) sends its Lambda integration, as AWS builds it:
/// header names lower-cased and repeated headers joined with ",", `Cookie` moved to `cookies`, repeated
/// query keys joined with ",", and the body as text for text content types, base64 otherwise. Keys AWS
/// leaves out when empty (`cookies`, `queryStringParameters`, `pathParameters`, `body`) are left out.
public struct APIGatewayEventBuilder: Sendable {
    public var accountID: String
    public var apiID: String
    public var stage: String
    /// The gateway's own port, for `x-forwarded-port`.
    public var port: Int

    public init(accountID: String = "123456789012", apiID: String = "local", stage: String = "$default", port: Int = 3000) {
        self.accountID = accountID
        self.apiID = apiID
        self.stage = stage
        self.port = port
    }

    /// Media types whose bodies HTTP APIs pass as text; every other type, and a body without a
    /// `Content-Type`, arrives base64-encoded (including `application/x-www-form-urlencoded`).
    static let textMediaTypes: Set<String> = ["application/json", "application/xml", "application/javascript"]

    /// True when HTTP APIs would hand this body over base64-encoded.
    package static func encodesAsBase64(contentType: String?, body: [UInt8]) -> Bool {
        guard let contentType else { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingASCII(\.isSpaceOrTab).lowercased()
        } ?? ""
        guard mediaType.hasPrefix("text/") || textMediaTypes.contains(mediaType) else { return true }
        // A text type whose bytes are not UTF-8 cannot be a JSON string: pass the exact bytes encoded.
        return String(validating: body, as: UTF8.self) == nil
    }

    /// The event's JSON bytes for `request`, which matched `route`.
    public func event(for request: GatewayHTTPRequest, route: GatewayRoutes.Match, requestID: String,
                      epochMilliseconds: Int64, traceID: String? = nil) -> [UInt8] {
        let rawPath = request.rawPath
        var cookies: [String] = []
        var headerNames: [String] = []
        var headers: [String: String] = [:]
        for (name, value) in request.headers {
            let lower = name.lowercased()
            if lower == "cookie" {
                cookies += value.split(separator: ";").map { $0.trimmingASCII(\.isSpaceOrTab) }.filter { !$0.isEmpty }
                continue
            }
            if let existing = headers[lower] {
                headers[lower] = existing + "," + value
            } else {
                headerNames.append(lower)
                headers[lower] = value
            }
        }
        func add(_ name: String, _ value: String) {
            if headers[name] == nil { headerNames.append(name) }
            headers[name] = value
        }
        add("x-forwarded-for", headers["x-forwarded-for"].map { "\($0), \(request.sourceIP)" } ?? request.sourceIP)
        add("x-forwarded-port", String(port))
        add("x-forwarded-proto", "http")
        if let traceID, headers["x-amzn-trace-id"] == nil { add("x-amzn-trace-id", traceID) }

        let host = headers["host"].map(Self.hostWithoutPort) ?? "localhost"
        let domainPrefix = host.split(separator: ".", maxSplits: 1).first.map(String.init) ?? host
        let query = Self.queryStringParameters(request.rawQueryString)
        let base64 = request.body.isEmpty ? false : Self.encodesAsBase64(contentType: headers["content-type"], body: request.body)

        var json = JSONTextWriter(capacity: 1024 + request.body.count * 4 / 3)
        json.raw(#"{"version":"2.0","routeKey":"#)
        json.string(route.routeKey)
        json.raw(#","rawPath":"#)
        json.string(rawPath)
        json.raw(#","rawQueryString":"#)
        json.string(request.rawQueryString)
        if !cookies.isEmpty {
            json.raw(#","cookies":["#)
            for (index, cookie) in cookies.enumerated() {
                if index > 0 { json.raw(",") }
                json.string(cookie)
            }
            json.raw("]")
        }
        json.raw(#","headers":"#)
        Self.writeObject(headerNames.map { ($0, headers[$0]!) }, into: &json)
        if !query.isEmpty {
            json.raw(#","queryStringParameters":"#)
            Self.writeObject(query, into: &json)
        }
        json.raw(#","requestContext":{"accountId":"#)
        json.string(accountID)
        json.raw(#","apiId":"#)
        json.string(apiID)
        json.raw(#","domainName":"#)
        json.string(host)
        json.raw(#","domainPrefix":"#)
        json.string(domainPrefix)
        json.raw(#","http":{"method":"#)
        json.string(request.method.uppercased())
        json.raw(#","path":"#)
        json.string(rawPath)
        json.raw(#","protocol":"#)
        json.string(request.httpVersion)
        json.raw(#","sourceIp":"#)
        json.string(request.sourceIP)
        json.raw(#","userAgent":"#)
        json.string(headers["user-agent"] ?? "")
        json.raw(#"},"requestId":"#)
        json.string(requestID)
        json.raw(#","routeKey":"#)
        json.string(route.routeKey)
        json.raw(#","stage":"#)
        json.string(stage)
        json.raw(#","time":"#)
        json.string(APIGatewayTime.format(epochMilliseconds: epochMilliseconds))
        json.raw(#","timeEpoch":"#)
        json.integer(Int(epochMilliseconds))
        json.raw("}")
        if !route.pathParameters.isEmpty {
            json.raw(#","pathParameters":"#)
            Self.writeObject(route.pathParameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, into: &json)
        }
        if !request.body.isEmpty {
            json.raw(#","body":"#)
            json.string(base64 ? Data(request.body).base64EncodedString() : String(decoding: request.body, as: UTF8.self))
        }
        json.raw(#","isBase64Encoded":"#)
        if base64 { json.raw("true") } else { json.raw("false") }
        json.raw("}")
        return json.bytes
    }

    /// `a=1&b=2&a=3` → a: "1,3", b: "2", in first-seen order; names and values percent-decoded; a
    /// name without `=` has the empty value.
    static func queryStringParameters(_ raw: String) -> [(String, String)] {
        var order: [String] = []
        var values: [String: String] = [:]
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecoded(parts[0])
            let value = parts.count > 1 ? percentDecoded(parts[1]) : ""
            if let existing = values[name] {
                values[name] = existing + "," + value
            } else {
                order.append(name)
                values[name] = value
            }
        }
        return order.map { ($0, values[$0]!) }
    }

    static func hostWithoutPort(_ host: String) -> String {
        if host.hasPrefix("[") { return host.split(separator: "]", maxSplits: 1).first.map { String($0) + "]" } ?? host }
        return host.split(separator: ":", maxSplits: 1).first.map(String.init) ?? host
    }

    static func writeObject(_ members: [(String, String)], into json: inout JSONTextWriter) {
        json.raw("{")
        for (index, member) in members.enumerated() {
            if index > 0 { json.raw(",") }
            json.string(member.0)
            json.raw(":")
            json.string(member.1)
        }
        json.raw("}")
    }
}

