#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import Platform

/// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
/// for the JSON-protocol services (DynamoDB, EventBridge, SQS, SNS, SES), matching botocore's `SigV4Auth`
/// byte for byte: Tests/Fixtures/AWS/sigv4.json is botocore's output (scripts/sigv4_fixtures.py).
///
/// The signed request carries the signature in `Authorization`: never log its headers.
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The request with `X-Amz-Date`, `X-Amz-Security-Token` (temporary credentials) and `Authorization` set,
    /// replacing any left from an earlier signing so a retry can be signed again. Send it unchanged:
    /// every header it has, except the hop-by-hop ones below, is part of the signature. (A caller's `Date`
    /// header would be signed as it is, beside `X-Amz-Date`, which AWS accepts; botocore instead rewrites it.)
    public func sign(_ request: HTTPRequest, at date: Date) -> HTTPRequest {
        let time = AmzTime(date)
        var signed = request
        var replaced: Set<String> = ["authorization", "x-amz-date"]
        let token = credentials.sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        if token != nil { replaced.insert("x-amz-security-token") }
        signed.headers.removeAll { replaced.contains($0.name.lowercased()) }
        signed.headers.append((name: "X-Amz-Date", value: time.stamp))
        if let token { signed.headers.append((name: "X-Amz-Security-Token", value: token)) }

        let canonical = canonicalRequest(signed)
        let scope = "\(time.day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", time.stamp, scope, Hex.encode(SHA256.hash(data: Array(canonical.text.utf8)))]
            .joined(separator: "\n")
        let signature = Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(day: time.day)))
        signed.headers.append((name: "Authorization",
                               value: "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
                                   + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"))
        return signed
    }

    /// Hop-by-hop and client-identifying headers a proxy or the HTTP library may add, drop or rewrite on
    /// the way, so signing them would break the signature. botocore's SIGNED_HEADERS_BLACKLIST, exactly.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// The canonical request of an already dated request, and its signed-header list.
    func canonicalRequest(_ request: HTTPRequest) -> (text: String, signedHeaders: String) {
        let url = URLParts(request.url)
        var headers: [String: [String]] = [:]
        for (name, value) in request.headers where !Self.unsignedHeaders.contains(name.lowercased()) {
            headers[name.lowercased(), default: []].append(Self.trimmed(value))
        }
        // The HTTP client sends Host from the URL; a caller's own Host header wins, as it would on the wire.
        if headers["host"] == nil { headers["host"] = [url.host] }
        let names = headers.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let signedHeaders = names.joined(separator: ";")
        let payloadHash = request.headers.first { $0.name.lowercased() == "x-amz-content-sha256" }?.value
            ?? Hex.encode(SHA256.hash(data: request.body))
        let lines = [request.method.uppercased(), Self.canonicalURI(url.path), Self.canonicalQuery(url.query)]
            + names.map { "\($0):\(headers[$0]!.joined(separator: ","))" }
            + ["", signedHeaders, payloadHash]
        return (lines.joined(separator: "\n"), signedHeaders)
    }

    /// Non-S3 services sign the path encoded once more on top of the URL's own encoding ("%20" → "%2520"),
    /// after removing "." / ".." and empty segments, which is what the services compute on their side.
    static func canonicalURI(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." { _ = segments.popLast() } else { segments.append(segment) }
        }
        var normalized = "/" + segments.joined(separator: "/")
        if path.hasSuffix("/"), !segments.isEmpty { normalized += "/" }
        return PercentEncoding.encode(normalized.utf8, keeping: [UInt8(ascii: "/")])
    }

    /// Pairs sorted by key, then value, each re-encoded per RFC 3986. For a URL whose query is already
    /// RFC 3986-encoded (as AWS's serializers write it) this is exactly botocore's string; for one that is
    /// not (a literal ":" or "/" in a value) it is what the service computes, where botocore would sign the raw text.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        // Empty parts ("a=1&&b=2", a trailing "&") are kept as "=", as botocore keeps them.
        let pairs = query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false).map { part in
            let keyEnd = part.firstIndex(of: UInt8(ascii: "=")) ?? part.endIndex
            let value = keyEnd == part.endIndex ? part[keyEnd...] : part[part.index(after: keyEnd)...]
            return (key: Array(PercentEncoding.encode(PercentEncoding.decode(part[..<keyEnd])).utf8),
                    value: Array(PercentEncoding.encode(PercentEncoding.decode(value)).utf8))
        }
        let sorted = pairs.sorted { $0.key == $1.key ? $0.value.lexicographicallyPrecedes($1.value) : $0.key.lexicographicallyPrecedes($1.key) }
        return sorted.map { String(decoding: $0.key + [UInt8(ascii: "=")] + $0.value, as: UTF8.self) }.joined(separator: "&")
    }

    /// Runs of whitespace become one space and the ends are trimmed. "Whitespace" is Python's `str.split()`
    /// set, which botocore uses: Unicode White_Space plus the separators U+001C...U+001F.
    static func trimmed(_ value: String) -> String {
        value.unicodeScalars.split { $0.properties.isWhitespace || (0x1C...0x1F).contains($0.value) }
            .map { String(String.UnicodeScalarView($0)) }
            .joined(separator: " ")
    }

    private func signingKey(day: String) -> SymmetricKey {
        func hmac(_ key: [UInt8], _ message: String) -> [UInt8] {
            Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key)))
        }
        let key = [day, region, service, "aws4_request"].reduce(Array("AWS4\(credentials.secretAccessKey)".utf8), hmac)
        return SymmetricKey(data: key)
    }
}

/// The signing time in SigV4's two forms, UTC, whole seconds (botocore drops the fraction).
struct AmzTime {
    /// `20251124T160000Z`
    let stamp: String
    /// `20251124`, the credential scope's date.
    let day: String

    init(_ date: Date) {
        let (civil, secondOfDay) = CivilDate.utc(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
        func padded(_ number: Int, _ width: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        day = padded(civil.year, 4) + padded(civil.month, 2) + padded(civil.day, 2)
        stamp = day + "T" + padded(secondOfDay / 3600, 2) + padded(secondOfDay % 3600 / 60, 2) + padded(secondOfDay % 60, 2) + "Z"
    }
}
