import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import Synchronization

/// The local API Gateway (HTTP API, payload format 2.0): an HTTP server on 127.0.0.1 that turns each
/// request into an event for the function its route names, invokes it through a `FunctionInvoker`,
/// and answers with what the function returned, as HTTP APIs do.
///
///     let gateway = LocalGateway(routes: routes, invoker: emulator, logger: { print($0) })
///     let port = try await gateway.start(port: 3000)   // 0: any free port
///     ...
///     await gateway.stop()
public final class LocalGateway: Sendable {
    public let core: GatewayCore
    private let server = Mutex<State>(.stopped)

    private enum State {
        case stopped
        case starting
        case running(LoopbackHTTPServer)
    }

    /// - Parameters:
    ///   - routes: route key → function (see `GatewayRoutes`).
    ///   - invoker: runs the functions.
    ///   - logger: receives one readable line per request: request id, method, path, function, status, ms.
    ///   - integrationTimeout: how long to wait for a function before answering 503.
    public init(routes: GatewayRoutes, invoker: any FunctionInvoker, logger: @escaping @Sendable (String) -> Void,
                integrationTimeout: Duration = .seconds(30), maximumBodyBytes: Int = GatewayCore.defaultMaximumBodyBytes) {
        core = GatewayCore(routes: routes, invoker: invoker, maximumBodyBytes: maximumBodyBytes,
                           integrationTimeout: integrationTimeout, log: logger)
    }

    /// Starts serving on 127.0.0.1:`port` (0: a free port chosen by the system) and returns the bound
    /// port once the server accepts connections. Throws if the port cannot be bound or it is already started.
    public func start(port: Int) async throws -> Int {
        let claimed = server.withLock { state -> Bool in
            guard case .stopped = state else { return false }
            state = .starting
            return true
        }
        guard claimed else { throw LocalGatewayError("the gateway is already started") }
        let core = self.core
        let responder = CallbackResponder<GatewayRequestContext> { request, context in
            try await Self.respond(to: request, peer: context.peer, core: core)
        }
        var logger = Logger(label: "payments.gateway")
        logger.logLevel = .warning
        do {
            let started = try await LoopbackHTTPServer.start(responder: responder, port: port, label: "gateway", logger: logger)
            server.withLock { $0 = .running(started) }
            return started.port
        } catch {
            server.withLock { $0 = .stopped }
            throw error
        }
    }

    /// Stops the server started by `start(port:)`: it stops accepting, lets the requests in flight
    /// finish, closes its connections and its socket, and returns then.
    public func stop() async {
        let running = server.withLock { state -> LoopbackHTTPServer? in
            guard case .running(let server) = state else { return nil }
            state = .stopped
            return server
        }
        await running?.stop()
    }

    static let framingHeaders: Set<String> = ["content-length", "transfer-encoding", "connection"]

    static func respond(to request: Request, peer: String, core: GatewayCore) async throws -> Response {
        let limit = core.maximumBodyBytes
        var tooLarge = false
        var body: [UInt8] = []
        // An oversized body is still read to its end (and dropped), so that the client, which may be
        // writing it before it reads anything, gets the 413 rather than a reset connection.
        for try await buffer in request.body {
            if tooLarge { continue }
            if body.count + buffer.readableBytes > limit {
                tooLarge = true
                body = []
                continue
            }
            body.append(contentsOf: buffer.readableBytesView)
        }
        var headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        // HTTP/1.1's Host header arrives as the request's authority.
        if let authority = request.head.authority { headers.insert((name: "host", value: authority), at: 0) }
        let input = GatewayHTTPRequest(
            method: request.method.rawValue,
            target: request.head.path ?? "/",
            headers: headers,
            body: body,
            sourceIP: peer
        )
        let answer = await core.handle(input, bodyTooLarge: tooLarge)
        var fields = HTTPFields()
        for header in answer.headers {
            // The server frames the body itself: a function's framing headers would contradict it.
            guard !Self.framingHeaders.contains(header.name.lowercased()), let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return Response(status: .init(code: answer.status), headers: fields,
                        body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

/// The request context: Hummingbird's, plus the peer's address for `requestContext.http.sourceIp`.
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let peer: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "127.0.0.1"
    }
}

package struct LocalGatewayError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
