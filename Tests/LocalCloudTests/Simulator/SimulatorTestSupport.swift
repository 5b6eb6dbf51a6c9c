import Foundation
import FunctionHost
import LocalCloud
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport
import XCTest

/// A provider simulator served by `SimulatorServer` (Hummingbird) on a free loopback port, for one test.
final class RunningSimulator: @unchecked Sendable {
    let port: Int
    private let server: LoopbackHTTPServer
    var base: String { "http://127.0.0.1:\(port)" }

    init(_ simulator: any ProviderAPISimulator) throws {
        let ready = DispatchSemaphore(value: 0)
        let started = Mutexed<Result<LoopbackHTTPServer, any Error>?>(nil)
        Task {
            do {
                started.set(.success(try await SimulatorServer.start(simulator, port: 0)))
            } catch {
                started.set(.failure(error))
            }
            ready.signal()
        }
        guard ready.wait(timeout: .now() + 30) == .success, let result = started.get() else {
            throw SimulatorTestError("the simulator did not start: timeout")
        }
        switch result {
        case .success(let server):
            self.server = server
            port = server.port
        case .failure(let error):
            throw SimulatorTestError("the simulator did not start: \(error)")
        }
    }

    func stop() {
        let server = self.server
        Task { await server.stop() }
    }

    deinit { stop() }
}

final class Mutexed<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}

struct SimulatorTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The local API Gateway in miniature: a loopback HTTP server whose routes run the real payment and
/// webhook functions in-process (`FunctionRuntime`, as `payments invoke` does) on a temporary SQLite store.
final class SimulatorTestGateway: @unchecked Sendable {
    let server: TestHTTPServer
    let storePath: String
    var base: String { "http://127.0.0.1:\(server.port)" }

    init(payment: FunctionDefinition, webhook: FunctionDefinition, environment: [String: String]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        storePath = directory.appendingPathComponent("payments.sqlite").path
        var environment = environment
        environment["PAYMENTS_STORE"] = "sqlite:\(storePath)"
        environment["PAYMENTS_EVENTS"] = "sqlite"
        let paymentRuntime = try FunctionRuntime(payment, environment: environment, logger: .discarding)
        let webhookRuntime = try FunctionRuntime(webhook, environment: environment, logger: .discarding)
        server = try TestHTTPServer { request in
            let path = String(request.path.prefix { $0 != "?" })
            let runtime = path.hasPrefix("/webhooks/") ? webhookRuntime : paymentRuntime
            var event = APIGatewayV2Request(method: request.method, path: path, headers: request.headers,
                                            body: Data(request.body).base64EncodedString(), isBase64Encoded: true,
                                            requestID: UUID().uuidString.lowercased())
            if request.body.isEmpty { event.body = nil; event.isBase64Encoded = false }
            do {
                let context = InvocationContext(requestID: event.requestContext.requestId ?? "test", logger: .discarding)
                let answer = try runtime.invoke(event: Array(try JSONEncoder().encode(event)), context: context)
                runtime.afterResponse(logger: .discarding)
                let response = try JSONDecoder().decode(APIGatewayV2Response.self, from: Data(answer))
                let body = response.isBase64Encoded == true ? Array(Data(base64Encoded: response.body ?? "") ?? Data()) : Array((response.body ?? "").utf8)
                return .init(status: response.statusCode, headers: response.headers ?? [:], body: body)
            } catch {
                return .init(status: 500, text: "invocation failed: \(error)")
            }
        }
    }

    deinit { server.stop() }

    /// `POST /payments/{provider}` through the real payment function; the created payment's JSON.
    func createPayment(_ provider: String, _ json: String, key: String = UUID().uuidString) throws -> (status: Int, body: [String: Any]) {
        let response = try CurlHTTPClient().send(HTTPRequest(
            method: "POST", url: "\(base)/payments/\(provider)",
            headers: [("Content-Type", "application/json"), ("Idempotency-Key", key)], body: Array(json.utf8)))
        let body = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status, body)
    }
}

/// The package's root (Package.swift's folder).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The repo's `.venv/bin/python` (scripts/setup.sh makes it; scripts/test.sh always does), or a skip saying so.
func repoPython() throws -> String {
    let path = packageRoot.appendingPathComponent(".venv/bin/python").path
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw XCTSkip("\(path) is absent: run `bash scripts/setup.sh` (it installs the providers' SDKs into .venv) to check signatures against the SDKs")
    }
    return path
}

/// Runs `executable` with `arguments`; its standard output, or a failure with its standard error.
func runProcess(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw SimulatorTestError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
    }
    return String(decoding: out, as: UTF8.self)
}
