import Hummingbird
import Logging
import HTTPTypes
import NIOCore

/// One HTTP request as a provider simulator sees it: no Hummingbird type leaks into the simulators,
/// so they stay plain functions of (state, request) that tests can also call directly.
public struct SimulatorRequest: Sendable {
    public var method: String
    public var path: String
    /// The query string's pairs, percent-decoded.
    public var query: [String: String]
    /// Header names in lower case; a repeated header keeps its first value.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

public struct SimulatorResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> SimulatorResponse {
        SimulatorResponse(status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: Array(text.utf8))
    }

    public static func xml(_ status: Int, _ text: String) -> SimulatorResponse {
        SimulatorResponse(status: status, headers: ["Content-Type": "application/xml; charset=utf-8"], body: Array(text.utf8))
    }
}

/// A provider's API, played locally.
public protocol ProviderAPISimulator: Sendable {
    func handle(_ request: SimulatorRequest) -> SimulatorResponse
}

/// Serves a simulator over HTTP/1.1 on 127.0.0.1 (`LoopbackHTTPServer`): tooling only, never in a function binary.
public enum SimulatorServer {
    /// Starts serving `simulator` and returns once the port is bound (0 picks a free one); `stop()` ends it.
    public static func start(_ simulator: any ProviderAPISimulator, port: Int) async throws -> LoopbackHTTPServer {
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let buffer = try await request.collectBody(upTo: 8 << 20)
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters {
                let name = percentDecoded(key, plusIsSpace: true)
                if query[name] == nil { query[name] = percentDecoded(value, plusIsSpace: true) }
            }
            var headers: [String: String] = [:]
            for field in request.headers where headers[field.name.canonicalName] == nil {
                headers[field.name.canonicalName] = field.value
            }
            // HTTP/1.1's Host travels as the :authority pseudo-header in HTTPTypes.
            if headers["host"] == nil, let authority = request.head.authority { headers["host"] = authority }
            let answer = simulator.handle(SimulatorRequest(
                method: request.method.rawValue, path: request.uri.path, query: query, headers: headers,
                body: Array(buffer.readableBytesView)))
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
            }
            return Response(status: .init(code: answer.status), headers: fields,
                            body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        var logger = Logger(label: "payments.simulate")
        // Failures to bind are thrown by start; the rest (a client gone, a stop) is noise here.
        logger.logLevel = .critical
        return try await LoopbackHTTPServer.start(responder: responder, port: port, label: "simulator", logger: logger)
    }
}
