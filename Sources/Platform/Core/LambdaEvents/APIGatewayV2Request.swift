#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An API Gateway HTTP API request, payload format 2.0: how every route reaches a function.
public struct APIGatewayV2Request: Codable, Sendable {
    public var version: String?
    public var routeKey: String?
    public var rawPath: String
    public var rawQueryString: String?
    public var headers: [String: String]?
    public var pathParameters: [String: String]?
    public var requestContext: RequestContext
    public var body: String?
    public var isBase64Encoded: Bool?

    public struct RequestContext: Codable, Sendable {
        public var requestId: String?
        public var http: HTTP
        public struct HTTP: Codable, Sendable {
            public var method: String
            public var path: String?
            public var sourceIp: String?
            public init(method: String, path: String? = nil, sourceIp: String? = nil) {
                self.method = method
                self.path = path
                self.sourceIp = sourceIp
            }
        }
        public init(requestId: String? = nil, http: HTTP) {
            self.requestId = requestId
            self.http = http
        }
    }

    public init(method: String, path: String, headers: [String: String] = [:], body: String? = nil,
                isBase64Encoded: Bool = false, requestID: String? = nil) {
        version = "2.0"
        routeKey = "\(method) \(path)"
        rawPath = path
        rawQueryString = ""
        self.headers = headers
        requestContext = RequestContext(requestId: requestID, http: .init(method: method, path: path))
        self.body = body
        self.isBase64Encoded = isBase64Encoded
    }

    public var method: String { requestContext.http.method.uppercased() }

    /// Header lookup ignoring case: API Gateway lower-cases names, local tools may not.
    public func header(_ name: String) -> String? {
        guard let headers else { return nil }
        if let value = headers[name.lowercased()] { return value }
        let wanted = name.lowercased()
        return headers.first { $0.key.lowercased() == wanted }?.value
    }

    /// True when the body is certainly larger than `limit` bytes once decoded: checked on the text
    /// as it arrived, so that an oversized body is refused before any decoding or parsing.
    public func bodyExceeds(_ limit: Int) -> Bool {
        guard let body else { return false }
        let length = body.utf8.count
        return isBase64Encoded == true ? length > (limit + 2) / 3 * 4 : length > limit
    }

    /// The body exactly as the sender sent it, base64-decoded when API Gateway encoded it.
    /// Signatures are checked over these bytes. Nil when the base64 is invalid.
    public func rawBody() -> [UInt8]? {
        guard let body else { return [] }
        guard isBase64Encoded == true else { return Array(body.utf8) }
        guard let data = Data(base64Encoded: body) else { return nil }
        return [UInt8](data)
    }
}
