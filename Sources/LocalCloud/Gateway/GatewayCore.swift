#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// What the gateway does with one request, apart from the HTTP server: route it, build the event,
/// invoke the function (within the integration timeout), map its answer, and log one line.
public struct GatewayCore: Sendable {
    public var routes: GatewayRoutes
    public var invoker: any FunctionInvoker
    public var events: APIGatewayEventBuilder
    /// HTTP APIs take payloads of at most 10 MB.
    public var maximumBodyBytes: Int
    /// How long the gateway waits for the function before answering 503 (30 s is HTTP APIs' maximum).
    public var integrationTimeout: Duration
    /// One readable line per request.
    public var log: @Sendable (String) -> Void

    public static let defaultMaximumBodyBytes = 10 * 1024 * 1024

    public init(routes: GatewayRoutes, invoker: any FunctionInvoker, events: APIGatewayEventBuilder = .init(),
                maximumBodyBytes: Int = GatewayCore.defaultMaximumBodyBytes, integrationTimeout: Duration = .seconds(30),
                log: @escaping @Sendable (String) -> Void) {
        self.routes = routes
        self.invoker = invoker
        self.events = events
        self.maximumBodyBytes = maximumBodyBytes
        self.integrationTimeout = integrationTimeout
        self.log = log
    }

    /// Answers one request. `bodyTooLarge` is set by a server that stopped reading an oversized body.
    public func handle(_ request: GatewayHTTPRequest, bodyTooLarge: Bool = false) async -> GatewayHTTPResponse {
        let started = ContinuousClock.now
        let requestID = GatewayIdentifiers.requestID()
        let match = routes.match(method: request.method, rawPath: request.rawPath)
        var outcome = ""
        var invoked = ""
        var response: GatewayHTTPResponse
        if bodyTooLarge || request.body.count > maximumBodyBytes {
            response = .requestTooLarge
        } else if let match {
            let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            let traceID = GatewayIdentifiers.traceID(epochSeconds: now / 1000)
            let event = events.event(for: request, route: match, requestID: requestID, epochMilliseconds: now, traceID: traceID)
            // Lambda gives the invocation its own id (a UUID, which the runtime puts in URL paths); the
            // gateway's id, with its '/' and '=', stays in the event's requestContext.
            let invocation = InvokeRequest(payload: event, requestID: UUID().uuidString.lowercased(), traceID: traceID)
            invoked = " [lambda \(invocation.requestID)]"
            if let result = await Self.invoke(invoker, function: match.function, invocation, within: integrationTimeout) {
                response = APIGatewayResponseMapper.response(for: result)
                outcome = Self.describe(result, mappedTo: response)
            } else {
                response = .serviceUnavailable
                outcome = " (integration timeout)"
            }
        } else {
            response = .notFound
            outcome = " (no route)"
        }
        response.headers.append(.init("apigw-requestid", requestID))
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let function = match?.function ?? "-"
        log("\(requestID) \(request.method.uppercased()) \(request.rawPath) -> \(function) \(response.status) \(Self.format(milliseconds)) ms\(outcome)\(invoked)")
        return response
    }

    static func describe(_ result: InvokeResult, mappedTo response: GatewayHTTPResponse) -> String {
        switch result {
        case .response: response.status == 500 ? " (not a valid response)" : ""
        case .functionError(_, let errorType): " (function error\(errorType.map { ": \($0)" } ?? ""))"
        case .timedOut(let seconds): " (Task timed out after \(seconds) seconds)"
        case .runtimeFailed(let errorType, let message): " (runtime failed: \(errorType): \(message))"
        }
    }

    static func format(_ milliseconds: Double) -> String {
        let tenths = Int((milliseconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// The invoker's result, or nil when `timeout` passes first. The invocation is not awaited past
    /// the timeout: the caller is answered, and the invoker finishes (or kills) it on its own.
    static func invoke(_ invoker: any FunctionInvoker, function: String, _ request: InvokeRequest,
                       within timeout: Duration) async -> InvokeResult? {
        let race = Race()
        return await withCheckedContinuation { (continuation: CheckedContinuation<InvokeResult?, Never>) in
            race.arm(continuation)
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { race.finish(nil) }
            }
            Task {
                race.finish(await invoker.invoke(function: function, request))
                timer.cancel()
            }
        }
    }

    /// Resumes the continuation once, with whichever result comes first.
    final class Race: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<InvokeResult?, Never>?, done: Bool)>((nil, false))

        func arm(_ continuation: CheckedContinuation<InvokeResult?, Never>) {
            state.withLock { $0.continuation = continuation }
        }

        /// True when this call resumed the continuation.
        @discardableResult
        func finish(_ result: InvokeResult?) -> Bool {
            let continuation = state.withLock { state -> CheckedContinuation<InvokeResult?, Never>? in
                guard !state.done else { return nil }
                state.done = true
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume(returning: result)
            return continuation != nil
        }
    }
}
