import Foundation
import Synchronization

/// A small Lambda Runtime API: hands out queued events and records what the function posts back.
/// When the queue is empty, `next` answers 500, which ends the function's loop.
public final class FakeRuntimeAPI: Sendable {
    public struct Posted: Equatable, Sendable { public var path: String; public var body: String; public var errorType: String? }
    final class State: Sendable {
        let queue: Mutex<[(id: String, body: String)]>
        let posted = Mutex<[Posted]>([])
        init(_ events: [(id: String, body: String)]) { queue = Mutex(events) }
    }
    private let state: State
    public let server: TestHTTPServer

    public init(events: [(id: String, body: String)]) throws {
        let state = State(events)
        self.state = state
        server = try TestHTTPServer { request in
            if request.method == "GET", request.path == "/2018-06-01/runtime/invocation/next" {
                guard let next = state.queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
                    return .init(status: 500, text: "no more events")
                }
                return .init(status: 200, headers: [
                    "Lambda-Runtime-Aws-Request-Id": next.id,
                    "Lambda-Runtime-Deadline-Ms": "1764000030000",
                    "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:eu-west-1:123456789012:function:stripe-webhook",
                    "Lambda-Runtime-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
                ], text: next.body)
            }
            state.posted.withLock {
                $0.append(Posted(path: request.path, body: String(decoding: request.body, as: UTF8.self),
                                 errorType: request.header("lambda-runtime-function-error-type")))
            }
            return .init(status: 202, text: #"{"status":"OK"}"#)
        }
    }

    public var posts: [Posted] { state.posted.withLock { $0 } }

    /// Runs the bootstrap `executable` against a Runtime API serving `events` until none is left (the
    /// function's loop then ends); answers what it posted and its exit status. `environment` is all the
    /// process gets, with `AWS_LAMBDA_RUNTIME_API` added.
    public static func run(_ executable: URL, events: [(id: String, body: String)],
                           environment: [String: String]) throws -> (posts: [Posted], status: Int32) {
        let api = try FakeRuntimeAPI(events: events)
        defer { api.server.stop() }
        let process = Process()
        process.executableURL = executable
        process.environment = environment.merging(["AWS_LAMBDA_RUNTIME_API": api.server.address]) { $1 }
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (api.posts, process.terminationStatus)
    }
}

