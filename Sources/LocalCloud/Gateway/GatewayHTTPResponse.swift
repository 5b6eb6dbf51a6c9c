#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// The HTTP answer the gateway sends, independent of the server library.
public struct GatewayHTTPResponse: Sendable, Equatable {
    public var status: Int
    /// In order; `set-cookie` may repeat.
    public var headers: [Header]
    public var body: [UInt8]

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(status: Int, headers: [Header] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Every value of a header, ignoring the name's case.
    public func values(of name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// What API Gateway itself answers when it cannot or will not reach the function:
    /// `{"message":"..."}` as `application/json`.
    static func gatewayMessage(_ status: Int, _ message: String) -> GatewayHTTPResponse {
        var json = JSONTextWriter(capacity: 64)
        json.raw(#"{"message":"#)
        json.string(message)
        json.raw("}")
        return GatewayHTTPResponse(status: status, headers: [Header("content-type", "application/json")], body: json.bytes)
    }

    /// No route matches the method and path (HTTP APIs answer 404, also for a known path with another method).
    public static let notFound = gatewayMessage(404, "Not Found")
    /// The request body exceeds the HTTP API payload limit (10 MB).
    package static let requestTooLarge = gatewayMessage(413, "Request Entity Too Large")
    /// The function failed (an error, a crash, its own timeout) or answered something that is not a response.
    package static let internalServerError = gatewayMessage(500, "Internal Server Error")
    /// The integration did not answer within the API's integration timeout (30 s at most in AWS).
    package static let serviceUnavailable = gatewayMessage(503, "Service Unavailable")
}

/// Turns what the function answered into HTTP, as HTTP APIs do for payload format 2.0:
///
/// - a JSON object with `statusCode` is a response: its status, `headers`, `cookies` (one `Set-Cookie`
///   each) and `body`, base64-decoded when `isBase64Encoded` is true;
/// - any other valid JSON is taken as the body of a 200 `application/json` answer;
/// - a function error, a crash, an init failure or the function's own timeout (which Lambda reports as
///   a function error) is a 500; so is an answer that is not JSON or a malformed response.
package enum APIGatewayResponseMapper {
    public static func response(for result: InvokeResult) -> GatewayHTTPResponse {
        switch result {
        case .response(let payload):
            return response(forPayload: payload) ?? .internalServerError
        case .functionError, .timedOut, .runtimeFailed:
            return .internalServerError
        }
    }

    /// Nil when the payload is not something HTTP APIs accept.
    static func response(forPayload payload: [UInt8]) -> GatewayHTTPResponse? {
        guard let document = try? JSONValue(parsing: payload, maximumDepth: 512) else { return nil }
        guard case .object(let members) = document, let statusValue = members["statusCode"] else {
            return GatewayHTTPResponse(status: 200, headers: [.init("content-type", "application/json")], body: payload)
        }
        guard let status = statusValue.int, (100...599).contains(status) else { return nil }
        var headers: [GatewayHTTPResponse.Header] = []
        switch members["headers"] {
        case nil, .null?: break
        case .object(let fields)?:
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
                guard let text = headerText(value) else { return nil }
                headers.append(.init(name, text))
            }
        default: return nil
        }
        switch members["cookies"] {
        case nil, .null?: break
        case .array(let cookies)?:
            for cookie in cookies {
                guard let text = cookie.string else { return nil }
                headers.append(.init("set-cookie", text))
            }
        default: return nil
        }
        var base64 = false
        switch members["isBase64Encoded"] {
        case nil, .null?: break
        case .bool(let flag)?: base64 = flag
        default: return nil
        }
        var body: [UInt8] = []
        switch members["body"] {
        case nil, .null?: break
        case .string(let text)?:
            if base64 {
                guard let data = Data(base64Encoded: text) else { return nil }
                body = [UInt8](data)
            } else {
                body = Array(text.utf8)
            }
        default: return nil
        }
        return GatewayHTTPResponse(status: status, headers: headers, body: body)
    }

    /// Header values are strings; numbers and booleans are passed as written.
    static func headerText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }
}
