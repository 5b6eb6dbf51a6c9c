import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// The one HTTP server of the local tooling: Hummingbird on 127.0.0.1 (never another interface: these
/// endpoints run arbitrary local code), started with one handshake that reports the port it bound, so
/// port 0 can pick a free one. The gateway, the Runtime API, the Invoke API and the providers'
/// simulators all serve through it.
public final class LoopbackHTTPServer: Sendable {
    public let port: Int
    private let group: ServiceGroup
    private let serving: Task<Void, Never>

    private init(port: Int, group: ServiceGroup, serving: Task<Void, Never>) {
        self.port = port
        self.group = group
        self.serving = serving
    }

    /// Starts serving `responder` and returns once the port is bound (or throws why it could not be).
    /// - Parameter logger: Hummingbird's own logger; silent by default, as its info lines ("Server
    ///   started") would only add noise to the functions' logs.
    public static func start<Responder: HTTPResponder>(
        responder: Responder, port: Int = 0, label: String,
        logger: Logger = Logger(label: "localcloud", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> LoopbackHTTPServer where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        let bound = BoundPort()
        var logger = logger
        logger[metadataKey: "server"] = .string(label)
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in bound.deliver(.success(channel.localAddress?.port ?? port)) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let serving = Task {
            do {
                try await group.run()
                bound.deliver(.failure(LoopbackHTTPServerError("the server stopped before it was listening")))
            } catch {
                bound.deliver(.failure(error))
            }
        }
        let port = try await bound.value()
        return LoopbackHTTPServer(port: port, group: group, serving: serving)
    }

    /// Starts serving `router` (Hummingbird's basic request context) and returns once the port is bound.
    public static func start(router: Router<BasicRequestContext>, port: Int = 0, label: String) async throws -> LoopbackHTTPServer {
        try await start(responder: router.buildResponder(), port: port, label: label)
    }

    /// Stops listening, gracefully: open requests are answered first (a long-polling `/next` must
    /// be released before), then the connections and the socket are closed; returns then. Not by
    /// cancelling the serving task: NIO then traps on a connection that was accepted but not yet handed
    /// out ("Deinited NIOAsyncWriter without calling finish()", apple/swift-nio#2637, #3481).
    public func stop() async {
        await group.triggerGracefulShutdown()
        await serving.value
    }
}

package struct LoopbackHTTPServerError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The bound port (or the failure to bind), handed once from the server's task to `start`.
private final class BoundPort: Sendable {
    private let state = Mutex<(result: Result<Int, any Error>?, waiter: CheckedContinuation<Int, any Error>?)>((nil, nil))

    func deliver(_ result: Result<Int, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> Int {
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
