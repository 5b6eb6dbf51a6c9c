import Foundation
import Synchronization
import PaymentsCore
import Platform
import CurlHTTP

/// Passes requests on and keeps each one's operation (`X-Amz-Target`) and body for the test to inspect.
final class RecordingHTTPClient: HTTPClient, Sendable {
    struct Call: Sendable {
        var target: String
        var body: String
        var authorization: String
    }

    let base: any HTTPClient
    private let recorded = Mutex<[Call]>([])

    init(base: any HTTPClient = CurlHTTPClient()) { self.base = base }

    var calls: [Call] { recorded.withLock { $0 } }
    /// Operation names without the service prefix: `GetItem`, `TransactWriteItems`.
    var operations: [String] { calls.map { String($0.target.split(separator: ".").last ?? "") } }
    func reset() { recorded.withLock { $0.removeAll() } }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let header = { (name: String) in request.headers.first { $0.name.lowercased() == name }?.value ?? "" }
        recorded.withLock {
            $0.append(Call(target: header("x-amz-target"), body: String(decoding: request.body, as: UTF8.self),
                           authorization: header("authorization")))
        }
        return try base.send(request)
    }
}

/// Answers from a script, one entry per request, and records what was sent.
final class ScriptedHTTPClient: HTTPClient, Sendable {
    enum Answer: Sendable {
        case response(Int, String)
        case transportError
    }

    private let script: Mutex<[Answer]>
    private let recorded = Mutex<[HTTPRequest]>([])

    init(_ answers: [Answer]) { script = Mutex(answers) }

    var requests: [HTTPRequest] { recorded.withLock { $0 } }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        recorded.withLock { $0.append(request) }
        let answer = script.withLock { $0.isEmpty ? Answer.response(500, "script exhausted") : $0.removeFirst() }
        switch answer {
        case .response(let status, let body): return HTTPResponse(status: status, body: Array(body.utf8))
        case .transportError: throw HTTPTransportError("POST http://aws.test/ failed: Couldn't connect to server")
        }
    }
}

/// A clock that moves only when slept on, and remembers each pause.
final class SteppingClock: WallClock, Sendable {
    private let state = Mutex<(now: Date, sleeps: [Double])>((Date(timeIntervalSince1970: 1_764_000_000), []))
    var sleeps: [Double] { state.withLock { $0.sleeps } }
    func now() -> Date { state.withLock { $0.now } }
    func sleep(seconds: Double) {
        state.withLock {
            $0.sleeps.append(seconds)
            $0.now = $0.now.addingTimeInterval(seconds)
        }
    }
}

extension JSONValue {
    /// Test shorthand for building requests.
    static func s(_ text: String) -> JSONValue { .string(text) }
}

/// Sends one request at a time across every client sharing `lock`.
final class TakingTurnsHTTPClient: HTTPClient, @unchecked Sendable {
    let base: any HTTPClient
    let lock: NSLock

    init(base: any HTTPClient = CurlHTTPClient(), lock: NSLock) {
        self.base = base
        self.lock = lock
    }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        try lock.withLock { try base.send(request) }
    }
}
