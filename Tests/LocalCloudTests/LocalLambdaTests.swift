import Foundation
import Testing
@testable import LocalCloud
#if canImport(Glibc)
import Glibc
#endif

/// The local Lambda against real child processes: `Fixtures/fixture_runtime.py`, a stdlib-only runtime
/// client whose behaviour each event chooses, speaks the Runtime API over HTTP to the emulator.
@Suite struct LocalLambdaTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fixture_runtime.py").path

    static func configuration(
        timeout: Int = 10, concurrency: Int = 1, environment: [String: String] = [:]
    ) -> LambdaFunctionConfiguration {
        var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "FIXTURE_SETTING": "from-config"]
        base.merge(environment) { $1 }
        return LambdaFunctionConfiguration(
            name: "fixture", executable: "python3", arguments: [fixture], environment: base,
            timeoutSeconds: timeout, memoryMB: 256, maxConcurrency: concurrency, handler: "fixture.handle")
    }

    static func request(_ event: [String: Any], traceID: String? = nil, clientContext: String? = nil) -> InvokeRequest {
        InvokeRequest(payload: Array(try! JSONSerialization.data(withJSONObject: event)),
                      requestID: UUID().uuidString.lowercased(), clientContext: clientContext, traceID: traceID)
    }

    /// The response's JSON object, or a recorded failure naming what came back instead.
    static func object(_ result: InvokeResult, sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
        guard case .response(let bytes) = result,
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            Issue.record("expected a JSON response, got \(result)", sourceLocation: sourceLocation)
            return [:]
        }
        return object
    }

    static func isRunning(_ pid: Int) -> Bool { kill(Int32(pid), 0) == 0 }

    /// Waits (up to 5 s) for a killed process to be gone and reaped.
    static func waitUntilGone(_ pid: Int) async -> Bool {
        for _ in 0..<50 {
            if !isRunning(pid) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func anEventReachesTheRuntimeWithLambdasHeadersAndEnvironment() async throws {
        let lambda = LocalLambda(functions: [Self.configuration()], log: LogCapture().log)
        defer { Task { await lambda.shutdown() } }
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let request = Self.request(["action": "echo", "n": 1], traceID: "Root=1-5e1b4151-5ac6c58f5b5dbd2a3e1c2e3f;Sampled=1",
                                   clientContext: "eyJjdXN0b20iOnsiYSI6MX19")
        let answer = Self.object(await lambda.invoke(function: "fixture", request))
        #expect((answer["event"] as? [String: Any])?["n"] as? Int == 1)
        let headers = try #require(answer["headers"] as? [String: Any])
        #expect(headers["Lambda-Runtime-Aws-Request-Id"] as? String == request.requestID)
        #expect(headers["Lambda-Runtime-Invoked-Function-Arn"] as? String == "arn:aws:lambda:us-east-1:012345678912:function:fixture")
        #expect(headers["Lambda-Runtime-Trace-Id"] as? String == "Root=1-5e1b4151-5ac6c58f5b5dbd2a3e1c2e3f;Sampled=1")
        #expect(headers["Lambda-Runtime-Client-Context"] as? String == #"{"custom":{"a":1}}"#, "the caller's base64, decoded")
        #expect(headers["Lambda-Runtime-Cognito-Identity"] is NSNull, "sent only when present")
        let deadline = try #require((headers["Lambda-Runtime-Deadline-Ms"] as? String).flatMap { Int64($0) })
        #expect(deadline >= before + 10_000 && deadline <= Int64(Date().timeIntervalSince1970 * 1000) + 10_000)
        let environment = try #require(answer["environment"] as? [String: Any])
        #expect(environment["AWS_LAMBDA_FUNCTION_NAME"] as? String == "fixture")
        #expect(environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] as? String == "256")
        #expect(environment["AWS_LAMBDA_FUNCTION_VERSION"] as? String == "$LATEST")
        #expect(environment["AWS_LAMBDA_LOG_GROUP_NAME"] as? String == "/aws/lambda/fixture")
        #expect((environment["AWS_LAMBDA_LOG_STREAM_NAME"] as? String)?.contains("[$LATEST]") == true)
        #expect(environment["_HANDLER"] as? String == "fixture.handle")
        #expect(environment["AWS_REGION"] as? String == "us-east-1")
        #expect(environment["LAMBDA_TASK_ROOT"] as? String == ".")
        #expect(environment["FIXTURE_SETTING"] as? String == "from-config")

        // A trace id is made up when the caller sent none, as Lambda does.
        let second = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "echo"])))
        let trace = (second["headers"] as? [String: Any])?["Lambda-Runtime-Trace-Id"] as? String
        #expect(trace?.hasPrefix("Root=1-") == true)
        #expect(second["pid"] as? Int == answer["pid"] as? Int, "a warm instance serves the next request")
        #expect((second["headers"] as? [String: Any])?["Lambda-Runtime-Client-Context"] is NSNull, "sent only when present")

        var withIdentity = Self.request(["action": "echo"])
        withIdentity.cognitoIdentity = #"{"cognitoIdentityId":"eu-west-1:abc","cognitoIdentityPoolId":"eu-west-1:pool"}"#
        let third = Self.object(await lambda.invoke(function: "fixture", withIdentity))
        #expect((third["headers"] as? [String: Any])?["Lambda-Runtime-Cognito-Identity"] as? String == withIdentity.cognitoIdentity)
    }

    @Test func aRuntimeThatDiesMidInvocationIsReportedAndReplaced() async throws {
        let log = LogCapture()
        let lambda = LocalLambda(functions: [Self.configuration()], log: log.log)
        defer { Task { await lambda.shutdown() } }
        let first = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "echo"])))
        let firstPID = try #require(first["pid"] as? Int)

        let crashed = Self.request(["action": "exit", "code": 7])
        guard case .runtimeFailed(let type, let message) = await lambda.invoke(function: "fixture", crashed) else {
            Issue.record("an exit mid-invocation must fail the invocation"); return
        }
        #expect(type == "Runtime.ExitError")
        #expect(message == "RequestId: \(crashed.requestID) Error: Runtime exited with error: exit status 7")
        #expect(log.contains("[fixture \(crashed.requestID)] exiting mid-invocation"), "the crash's last words are logged with its request id")

        let second = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "echo"])))
        let secondPID = try #require(second["pid"] as? Int)
        #expect(secondPID != firstPID, "a fresh process serves the next request")

        guard case .runtimeFailed(let killedType, let killedMessage) = await lambda.invoke(function: "fixture", Self.request(["action": "killself"])) else {
            Issue.record("a SIGKILL mid-invocation must fail the invocation"); return
        }
        #expect(killedType == "Runtime.ExitError")
        #expect(killedMessage.hasSuffix("Runtime exited with error: signal: killed"))
        let third = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "echo"])))
        #expect(third["pid"] as? Int != secondPID && third["pid"] != nil)
    }

    @Test func aFunctionPastItsTimeoutIsKilledAndTheNextRequestIsServed() async throws {
        let log = LogCapture()
        let lambda = LocalLambda(functions: [Self.configuration(timeout: 2)], log: log.log)
        defer { Task { await lambda.shutdown() } }
        let warm = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "echo"])))
        let slowPID = try #require(warm["pid"] as? Int)

        let slow = Self.request(["action": "sleep", "seconds": 30])
        #expect(await lambda.invoke(function: "fixture", slow) == .timedOut(seconds: 2))
        #expect(log.contains("[fixture \(slow.requestID)]") && log.contains("\(slow.requestID) Task timed out after 2.00 seconds"))
        #expect(await Self.waitUntilGone(slowPID), "the timed-out process is killed")

        let next = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "echo"])))
        #expect(next["pid"] as? Int != slowPID && next["pid"] != nil)
    }

    @Test func overlappingRequestsRunOnSeveralInstancesUpToTheLimit() async throws {
        let lambda = LocalLambda(functions: [Self.configuration(concurrency: 2)], log: LogCapture().log)
        defer { Task { await lambda.shutdown() } }
        // Three overlapping requests, limit 2: two instances start, the third request waits for one.
        let results = await withTaskGroup(of: InvokeResult.self) { group in
            for _ in 0..<3 {
                group.addTask { await lambda.invoke(function: "fixture", Self.request(["action": "sleep", "seconds": 1])) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let pids = results.map { Self.object($0)["pid"] as? Int }
        #expect(pids.allSatisfy { $0 != nil })
        #expect(Set(pids.compactMap { $0 }).count == 2, "two instances served three overlapping requests")
        #expect(Set(await lambda.processIDs(of: "fixture").map(Int.init)) == Set(pids.compactMap { $0 }))
    }

    @Test func aRequestQueuedBehindOneThatTimesOutIsServedByAFreshInstance() async throws {
        let lambda = LocalLambda(functions: [Self.configuration(timeout: 2, concurrency: 1)], log: LogCapture().log)
        defer { Task { await lambda.shutdown() } }
        let warm = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "echo"])))
        let slow = Task { await lambda.invoke(function: "fixture", Self.request(["action": "sleep", "seconds": 30])) }
        // Queued (the limit is one instance) until the slow one is killed.
        try await Task.sleep(for: .milliseconds(300))
        let queued = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "echo"])))
        #expect(await slow.value == .timedOut(seconds: 2))
        #expect(queued["pid"] != nil && queued["pid"] as? Int != warm["pid"] as? Int)
        #expect(await lambda.processIDs(of: "fixture").count == 1)
    }

    @Test func theRuntimeAPIRefusesSecondAnswersUnknownIdsAndOversizedPayloads() async throws {
        let lambda = LocalLambda(functions: [Self.configuration()], log: LogCapture().log)
        defer { Task { await lambda.shutdown() } }
        let first = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "twice"])))
        #expect(first["first"] as? Bool == true, "the first answer counts")
        let report = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "report"])))
        #expect(report["kept"] as? [Int] == [202, 403])

        let unknown = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "unknown"])))
        #expect(unknown["unknownIdStatus"] as? Int == 400)
        let big = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "big"])))
        #expect(big["bigStatus"] as? Int == 413)

        guard case .functionError(let body, let type) = await lambda.invoke(function: "fixture", Self.request(["action": "error"])) else {
            Issue.record("/error must end as a function error"); return
        }
        #expect(type == "Function.FixtureError")
        #expect(String(decoding: body, as: UTF8.self).contains("fixture failed on purpose"))
    }

    @Test func anInitErrorFailsTheRequestAndTheNextOneInitialisesAfresh() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("init-once-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let log = LogCapture()
        let lambda = LocalLambda(functions: [Self.configuration(environment: ["FIXTURE_INIT_FAIL_ONCE": marker])], log: log.log)
        defer { Task { await lambda.shutdown() } }
        let failed = await lambda.invoke(function: "fixture", Self.request(["action": "echo"]))
        #expect(failed == .runtimeFailed(errorType: "Runtime.FixtureInitError", message: "fixture cannot initialise: no config"))
        #expect(log.contains("init error Runtime.FixtureInitError: {\"errorMessage\": \"fixture cannot initialise: no config\""))
        let served = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "echo"])))
        #expect(served["pid"] != nil)
    }

    @Test func aRuntimeThatExitsBeforeAskingForWorkFailsWithItsExitStatus() async throws {
        let lambda = LocalLambda(functions: [Self.configuration(environment: ["FIXTURE_EXIT_BEFORE_NEXT": "1"])], log: LogCapture().log)
        defer { Task { await lambda.shutdown() } }
        for _ in 0..<2 {
            let request = Self.request(["action": "echo"])
            #expect(await lambda.invoke(function: "fixture", request)
                    == .runtimeFailed(errorType: "Runtime.ExitError", message: "RequestId: \(request.requestID) Error: Runtime exited with error: exit status 2"))
        }
    }

    @Test func shutdownKillsTheChildren() async throws {
        let lambda = LocalLambda(functions: [Self.configuration(concurrency: 2)], log: LogCapture().log)
        let answer = Self.object(await lambda.invoke(function: "fixture", Self.request(["action": "echo"])))
        let pid = try #require(answer["pid"] as? Int)
        #expect(Self.isRunning(pid))
        await lambda.shutdown()
        #expect(await Self.waitUntilGone(pid))
        guard case .runtimeFailed(_, let message) = await lambda.invoke(function: "fixture", Self.request(["action": "echo"])) else {
            Issue.record("after shutdown nothing is served"); return
        }
        #expect(message.hasSuffix("the local Lambda is shutting down"))
    }

    @Test func anUnknownFunctionIsNotFound() async {
        let lambda = LocalLambda(functions: [Self.configuration()], log: LogCapture().log)
        guard case .runtimeFailed(let type, _) = await lambda.invoke(function: "nope", Self.request([:])) else {
            Issue.record("expected a failure"); return
        }
        #expect(type == "ResourceNotFoundException")
    }
}

/// Collects the local Lambda's log lines for assertions.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    var log: LambdaLog { LambdaLog { line in self.lock.withLock { self.lines.append(line) } } }

    func contains(_ text: String) -> Bool { lock.withLock { lines.contains { $0.contains(text) } } }
    var all: [String] { lock.withLock { lines } }
}
