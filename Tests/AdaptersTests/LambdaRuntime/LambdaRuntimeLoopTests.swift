import Foundation
import Synchronization
import XCTest
import PaymentsCore
import Platform
import CurlHTTP
import LambdaRuntimeClient
import TestSupport

final class LambdaRuntimeLoopTests: XCTestCase {
    func testServesEachInvocationAndKeepsServingAfterAHandlerThrows() throws {
        let api = try FakeRuntimeAPI(events: [("req-1", #"{"n":1}"#), ("req-2", "boom"), ("req-3", #"{"n":3}"#)])
        defer { api.server.stop() }
        let loop = LambdaRuntimeLoop(api: api.server.address, client: CurlHTTPClient(), logger: .discarding)
        struct Boom: Error {}
        let contexts = Mutex<[InvocationContext]>([])
        var after: [String] = []
        try loop.run(limit: 3, handler: { invocation in
            contexts.withLock { $0.append(invocation.context) }
            guard invocation.event != Array("boom".utf8) else { throw Boom() }
            return Array("echo:".utf8) + invocation.event
        }, afterResponse: { after.append($0.requestID) })

        XCTAssertEqual(api.posts.map(\.path), [
            "/2018-06-01/runtime/invocation/req-1/response",
            "/2018-06-01/runtime/invocation/req-2/error",
            "/2018-06-01/runtime/invocation/req-3/response",
        ])
        XCTAssertEqual(api.posts[0].body, #"echo:{"n":1}"#)
        XCTAssertEqual(api.posts[1].errorType, "Runtime.Boom")
        XCTAssertTrue(api.posts[1].body.contains(#""errorMessage""#))
        XCTAssertEqual(after, ["req-1", "req-2", "req-3"], "after-work runs once the answer is posted")

        let context = try XCTUnwrap(contexts.withLock { $0.first })
        XCTAssertEqual(context.requestID, "req-1")
        XCTAssertEqual(context.deadlineMilliseconds, 1_764_000_030_000)
        XCTAssertEqual(context.invokedFunctionARN, "arn:aws:lambda:eu-west-1:123456789012:function:stripe-webhook")
        XCTAssertEqual(context.traceID, "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
        XCTAssertEqual(ProcessInfo.processInfo.environment["_X_AMZN_TRACE_ID"], context.traceID)
    }

    func testInitErrorsArePostedToTheInitEndpoint() throws {
        let api = try FakeRuntimeAPI(events: [])
        defer { api.server.stop() }
        let loop = LambdaRuntimeLoop(api: api.server.address, client: CurlHTTPClient(), logger: .discarding)
        loop.reportInitError(ConfigurationError("STRIPE_WEBHOOK_SECRET is not set"))
        XCTAssertEqual(api.posts.map(\.path), ["/2018-06-01/runtime/init/error"])
        XCTAssertEqual(api.posts.first?.errorType, "Runtime.ConfigurationError")
        XCTAssertTrue(api.posts.first?.body.contains("STRIPE_WEBHOOK_SECRET is not set") ?? false)
    }

    func testAFailingNextIsAnError() throws {
        let api = try FakeRuntimeAPI(events: [])
        defer { api.server.stop() }
        let loop = LambdaRuntimeLoop(api: api.server.address, client: CurlHTTPClient(), logger: .discarding)
        XCTAssertThrowsError(try loop.run(limit: 1, handler: { _ in [] }))
    }
}
