import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One execution environment of a function: a runtime process, its Runtime API endpoint and server.
/// It runs one invocation at a time; once its process is gone (crash, timeout, init error) it is
/// dead for good and the pool starts a fresh one, as Lambda does.
final class FunctionInstance: @unchecked Sendable {
    let configuration: LambdaFunctionConfiguration
    private let log: LambdaLog
    private let endpoint: RuntimeEndpoint
    // Guarded by `lock`: the instance is shared between the pool, the server and the process's threads.
    private let lock = NSLock()
    private var server: RuntimeAPIServer?
    private var process: ChildProcess?
    private var dead = false
    /// The process has ended and been reaped.
    private var exited = false
    private var currentRequestID: String?

    /// Lambda's limit for a runtime's init phase.
    static let initLimitSeconds = 10

    init(configuration: LambdaFunctionConfiguration, log: LambdaLog) {
        self.configuration = configuration
        self.log = log
        let holder = RequestIDHolder()
        self.endpoint = RuntimeEndpoint(onDeliver: { holder.instance?.setCurrentRequestID($0.requestID) })
        holder.instance = self
    }

    /// False once its process ended or was killed: it takes no more work.
    var isAlive: Bool { lock.withLock { !dead } }

    /// The runtime process's id, once started (tests tell instances apart by it).
    var processID: Int32? { lock.withLock { process?.pid } }

    /// Runs one invocation: starts the process first if this is a cold start.
    func invoke(_ request: InvokeRequest) async -> InvokeResult {
        let name = configuration.name
        if lock.withLock({ server == nil }) {
            do {
                try await start()
            } catch {
                markDead()
                log.write(name, nil, "cannot start the runtime: \(error)")
                return .runtimeFailed(errorType: "Runtime.ExitError", message: "RequestId: \(request.requestID) Error: \(error)")
            }
        }
        let started = Date()
        let timeout = configuration.timeoutSeconds
        let invocation = RuntimeInvocation(
            requestID: request.requestID,
            payload: request.payload,
            timeoutSeconds: timeout,
            functionARN: configuration.functionARN,
            traceID: request.traceID ?? Self.newTraceID(at: started),
            clientContext: request.clientContext.map(Self.decodedClientContext),
            cognitoIdentity: request.cognitoIdentity
        )
        log.write(name, request.requestID, "START RequestId: \(request.requestID) Version: $LATEST")
        // As in Lambda, the timeout runs from when the runtime fetches the invocation, so a cold start
        // does not count; the runtime must fetch it within Lambda's 10 s init limit, or it is killed too.
        let endpoint = self.endpoint
        let log = self.log
        let timer = Task {
            let fetchLimit = ContinuousClock.now + .seconds(Self.initLimitSeconds)
            while await !endpoint.wasDelivered(request.requestID) {
                if ContinuousClock.now >= fetchLimit {
                    if await endpoint.expire(requestID: request.requestID, with: .timedOut) {
                        log.write(name, request.requestID, "the runtime did not ask for the invocation within \(Self.initLimitSeconds) s (init limit)")
                    }
                    return
                }
                try? await Task.sleep(for: .milliseconds(10))
                if Task.isCancelled { return }
            }
            try? await Task.sleep(for: .seconds(timeout))
            if Task.isCancelled { return }
            _ = await endpoint.expire(requestID: request.requestID, with: .timedOut)
        }
        let outcome = await endpoint.submit(invocation)
        timer.cancel()
        let milliseconds = String(format: "%.2f", Date().timeIntervalSince(started) * 1000)
        defer {
            log.write(name, request.requestID, "END RequestId: \(request.requestID)")
            log.write(name, request.requestID, "REPORT RequestId: \(request.requestID)\tDuration: \(milliseconds) ms\tMemory Size: \(configuration.memoryMB) MB")
            lock.withLock { currentRequestID = nil }
        }

        switch outcome {
        case .response(let body):
            return .response(body)
        case .functionError(let body, let errorType):
            return .functionError(body: body, errorType: errorType)
        case .initError(let body, let errorType):
            // Lambda resets the environment after a failed init; the next request starts afresh.
            terminate()
            log.write(name, request.requestID, "init error \(errorType): \(String(decoding: body, as: UTF8.self))")
            let message = Self.errorMessage(in: body) ?? String(decoding: body, as: UTF8.self)
            return .runtimeFailed(errorType: errorType, message: message)
        case .exited(let exit):
            markDead()
            let message = "RequestId: \(request.requestID) Error: Runtime exited with error: \(exit)"
            log.write(name, request.requestID, message)
            return .runtimeFailed(errorType: "Runtime.ExitError", message: message)
        case .timedOut:
            terminate()
            log.write(name, request.requestID, "\(Self.timestamp()) \(request.requestID) Task timed out after \(timeout).00 seconds")
            return .timedOut(seconds: Double(timeout))
        case .shutDown:
            return .runtimeFailed(errorType: "Runtime.ExitError", message: "RequestId: \(request.requestID) Error: the local Lambda is shutting down")
        }
    }

    /// Stops the instance as Lambda shuts an environment down: what waits on it is released, the
    /// runtime gets SIGTERM and `grace` to exit, then whatever is left is killed.
    func shutDown(grace: Duration) async {
        markDead()
        await endpoint.close(with: .shutDown)
        if let process = lock.withLock({ self.process }), !lock.withLock({ exited }) {
            process.kill(SIGTERM)
            let limit = ContinuousClock.now + grace
            while !lock.withLock({ exited }) && ContinuousClock.now < limit {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        terminate()
    }

    /// Kills the process (and whatever it started), releases any request waiting on it, stops its server.
    func terminate() {
        markDead()
        let (process, server) = lock.withLock { (self.process, self.server) }
        process?.kill(SIGKILL)
        let endpoint = self.endpoint
        Task {
            await endpoint.close(with: .shutDown)
            await server?.stop()
        }
    }

    private func start() async throws {
        let server = try await RuntimeAPIServer.start(endpoint: endpoint)
        lock.withLock { self.server = server }
        let environment = configuration.childEnvironment(
            runtimeAPI: "127.0.0.1:\(server.port)",
            logStream: Self.logStreamName()
        )
        let name = configuration.name
        let endpoint = self.endpoint
        do {
            let process = try ChildProcess.spawn(
                executable: configuration.executable,
                arguments: configuration.arguments,
                environment: environment,
                onLine: { [weak self, log] _, line in
                    log.write(name, self?.lock.withLock { self?.currentRequestID }, line)
                },
                onExit: { [weak self] exit in
                    self?.lock.withLock { self?.exited = true }
                    self?.markDead()
                    Task {
                        await endpoint.close(with: .exited(exit))
                        await server.stop()
                    }
                }
            )
            lock.withLock { self.process = process }
        } catch {
            await server.stop()
            throw error
        }
    }

    private func markDead() { lock.withLock { dead = true } }

    fileprivate func setCurrentRequestID(_ requestID: String) { lock.withLock { currentRequestID = requestID } }

    /// `errorMessage` of a runtime's error body, if it is the usual JSON.
    static func errorMessage(in body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        return object["errorMessage"] as? String
    }

    /// The client context as the runtime gets it: the JSON that the caller's base64 encodes (a value
    /// that is not base64 is passed as it is; the Invoke API front refuses it before it gets here).
    static func decodedClientContext(_ base64: String) -> String {
        guard let data = Data(base64Encoded: base64) else { return base64 }
        return String(decoding: data, as: UTF8.self)
    }

    /// An X-Ray trace header like the one Lambda passes when the caller sent none.
    static func newTraceID(at date: Date) -> String {
        let seconds = String(UInt32(date.timeIntervalSince1970), radix: 16)
        let random = (0..<24).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
        let parent = (0..<16).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
        return "Root=1-\(seconds)-\(random);Parent=\(parent);Sampled=0"
    }

    private static func logStreamName() -> String {
        let day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
            .replacingOccurrences(of: "-", with: "/")
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return "\(day)/[$LATEST]\(suffix)"
    }

    private static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}

/// Lets the endpoint's delivery callback reach the instance that owns the endpoint (created first).
private final class RequestIDHolder: @unchecked Sendable {
    weak var instance: FunctionInstance?
}
