import Foundation
import Testing
import FunctionHost
import Platform
import LocalCloud
import LocalCloudFunctions
import PaymentsCore
import StripeProvider
import Synchronization

struct InProcessRunnerTests {
    static func storeEnvironment() -> [String: String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString).sqlite").path
        return ["PAYMENTS_STORE": "sqlite:\(path)", "STRIPE_WEBHOOK_SECRET": "whsec_kKxgprTwyuhW4d6khhengyJTaMHNYdUo"]
    }

    @Test func runThrowsTheHandlersErrorAsItIsAndInvokeReportsItAsTheRuntimeLoopDoes() async throws {
        let runner = InProcessRunner(functions: [StripeFunctions.webhook.definition], environment: Self.storeEnvironment(), logger: .discarding)
        let event = Array(#"{"version":"1.0"}"#.utf8)
        await #expect(throws: InvalidEventError.self) { try await runner.run(function: "stripe-webhook", event: event) }
        let result = await runner.invoke(function: "stripe-webhook", InvokeRequest(payload: event, requestID: "r1"))
        guard case .functionError(let body, let type) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(type == "Runtime.InvalidEventError")
        let json = try JSONSerialization.jsonObject(with: Data(body)) as? [String: String]
        #expect(json?["errorType"] == "Runtime.InvalidEventError")
    }

    @Test func aFunctionThatCannotBeBuiltIsRefusedAtPrepareAndTriedAgain() async throws {
        let runner = InProcessRunner(functions: [StripeFunctions.webhook.definition], environment: ["PAYMENTS_STORE": "postgres:x"], logger: .discarding)
        await #expect(throws: (any Error).self) { try await runner.prepare(function: "stripe-webhook") }
        await #expect(throws: CommandFailure.self) { try await runner.prepare(function: "nope") }
        let unknown = await runner.invoke(function: "nope", InvokeRequest(payload: [], requestID: "r"))
        #expect(unknown == .runtimeFailed(errorType: "Function.NotFound", message: "no function named 'nope'"))
    }

    @Test func theCallsAfterInvocationWorkRunsWhetherTheHandlerAnsweredOrThrew() async throws {
        let runner = InProcessRunner(functions: [StripeFunctions.webhook.definition], environment: Self.storeEnvironment(), logger: .discarding)
        let count = Mutex(0)
        let calls = LocalFunctionCalls(runner: runner, afterInvocation: { count.withLock { $0 += 1 } })
        await #expect(throws: InvalidEventError.self) { try await calls.invoke("stripe-webhook", event: Array("{}".utf8)) }
        #expect(count.withLock { $0 } == 1)
    }
}
