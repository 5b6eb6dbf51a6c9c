import Hummingbird
import Testing
import LocalCloud
import PaymentsCore
import PaymentsHTTP

struct LoopbackHTTPServerTests {
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/hello") { _, _ in "hi" }
        return router
    }

    static func get(_ port: Int) throws -> PaymentsCore.HTTPResponse {
        try CurlHTTPClient().send(PaymentsCore.HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/hello", timeout: 5))
    }

    @Test func startReturnsOnceTheChosenPortAnswersAndStopClosesIt() async throws {
        let server = try await LoopbackHTTPServer.start(router: Self.router(), port: 0, label: "test")
        let answer: PaymentsCore.HTTPResponse
        do {
            #expect(server.port > 0)
            answer = try Self.get(server.port)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        #expect(answer.status == 200 && answer.body == Array("hi".utf8))
        #expect(throws: (any Error).self) { try Self.get(server.port) }
    }

    @Test func aPortInUseIsReportedByStart() async throws {
        let first = try await LoopbackHTTPServer.start(router: Self.router(), port: 0, label: "first")
        do {
            await #expect(throws: (any Error).self) {
                let second = try await LoopbackHTTPServer.start(router: Self.router(), port: first.port, label: "second")
                await second.stop()
            }
        }
        await first.stop()
    }
}
