import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A Hummingbird server on 127.0.0.1 (never another interface: these endpoints run arbitrary local
/// code) that reports the port it bound, so port 0 can pick a free one.
public final class LoopbackHTTPServer: Sendable {
    public let port: Int
    private let group: ServiceGroup

    private init(port: Int, group: ServiceGroup) {
        self.port = port
        self.group = group
    }

    /// Starts serving `router` and returns once the port is bound (or throws why it could not be).
    public static func start(router: Router<BasicRequestContext>, port: Int = 0, label: String) async throws -> LoopbackHTTPServer {
        let bound = PortPromise()
        let logger = Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in bound.fulfil(.success(channel.localAddress?.port ?? 0)) },
            // Hummingbird's own info lines ("Server started") would only add noise to the functions' logs.
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        Task {
            do {
                try await group.run()
            } catch {
                bound.fulfil(.failure(error))
            }
        }
        let port = try await bound.value
        return LoopbackHTTPServer(port: port, group: group)
    }

    /// Stops listening, gracefully: open requests are answered first (a long-polling `/next` must
    /// be released before). Not by cancelling the serving task: NIO then traps on a connection that
    /// was accepted but not yet handed out ("Deinited NIOAsyncWriter without calling finish()",
    /// apple/swift-nio#2637, #3481).
    public func stop() {
        let group = self.group
        Task { await group.triggerGracefulShutdown() }
    }
}

/// The bound port, delivered once from the server's start-up callback (or its failure).
private final class PortPromise: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Int, any Error>?
    private var waiter: CheckedContinuation<Int, any Error>?

    func fulfil(_ value: Result<Int, any Error>) {
        lock.lock()
        guard result == nil else { lock.unlock(); return }
        result = value
        let waiter = self.waiter
        self.waiter = nil
        lock.unlock()
        waiter?.resume(with: value)
    }

    var value: Int {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                lock.lock()
                if let result {
                    lock.unlock()
                    continuation.resume(with: result)
                } else {
                    waiter = continuation
                    lock.unlock()
                }
            }
        }
    }
}
