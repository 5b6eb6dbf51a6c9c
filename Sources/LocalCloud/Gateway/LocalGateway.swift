import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The local API Gateway (HTTP API, payload format 2.0): an HTTP server on 127.0.0.1 that turns each
/// request into an event for the function its route names, invokes it through a `FunctionInvoker`,
/// and answers with what the function returned, as HTTP APIs do.
///
///     let gateway = LocalGateway(routes: routes, invoker: emulator, logger: { print($0) })
///     let port = try await gateway.start(port: 3000)   // 0: any free port
///     ...
///     await gateway.stop()
///
/// or `try await gateway.run(port: 3000)` to serve until the calling task is cancelled.
public final class LocalGateway: Sendable {
    public let core: GatewayCore
    private let running = Mutex<Running?>(nil)

    /// The server started by `start(port:)`: its task, and its service group once it exists.
    private struct Running: Sendable {
        var task: Task<Void, any Error>
        var group: ServiceGroup?
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
        let started = StartSignal()
        let claimed = running.withLock { current -> Bool in
            guard current == nil else { return false }
            current = Running(task: Task {}, group: nil)
            return true
        }
        guard claimed else { throw LocalGatewayError("the gateway is already started") }
        let task = Task {
            do {
                try await serve(port: port, onGroup: { group in
                    self.running.withLock { $0?.group = group }
                }, onRunning: { started.succeed($0) })
                started.fail(LocalGatewayError("the gateway stopped before it was listening"))
            } catch {
                started.fail(error)
                throw error
            }
        }
        running.withLock { $0?.task = task }
        do {
            return try await started.wait()
        } catch {
            running.withLock { $0 = nil }
            throw error
        }
    }

    /// Stops the server started by `start(port:)`: it stops accepting, lets the requests in flight
    /// finish, closes its connections and its socket, and returns then.
    public func stop() async {
        guard let current = running.withLock({ current -> Running? in
            defer { current = nil }
            return current
        }) else { return }
        if let group = current.group {
            await group.triggerGracefulShutdown()
        } else {
            current.task.cancel()
        }
        _ = try? await current.task.value
    }

    /// Serves on 127.0.0.1:`port` until the calling task is cancelled; `onRunning` gets the bound port.
    public func run(port: Int, onRunning: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        try await serve(port: port, onGroup: { _ in }, onRunning: onRunning)
    }

    private func serve(port: Int, onGroup: @Sendable (ServiceGroup) -> Void, onRunning: @escaping @Sendable (Int) -> Void) async throws {
        let core = self.core
        var logger = Logger(label: "payments.gateway")
        logger.logLevel = .warning
        let responder = CallbackResponder<GatewayRequestContext> { request, context in
            try await Self.respond(to: request, peer: context.peer, core: core)
        }
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
        onGroup(group)
        try await group.run()
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

public struct LocalGatewayError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Hands the bound port (or the failure to bind) from the server task to `start(port:)`, once.
final class StartSignal: Sendable {
    private let state = Mutex<(result: Result<Int, any Error>?, waiter: CheckedContinuation<Int, any Error>?)>((nil, nil))

    func succeed(_ port: Int) { complete(.success(port)) }
    func fail(_ error: any Error) { complete(.failure(error)) }

    private func complete(_ result: Result<Int, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Int, any Error>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
