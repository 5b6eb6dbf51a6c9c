import Platform
import Hummingbird
import Testing
import LocalCloud

struct LoopbackHTTPServerTests {
    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/hello") { _, _ in "hi" }
        return router
    }

    /// On a thread of its own (`RawHTTP`): a blocking call must not hold one of the few threads the server's tasks run on.
    static func get(_ port: Int) async throws -> RawHTTPResponse {
        try await RawHTTP.send(port: port, method: "GET", target: "/hello")
    }

    @Test func startReturnsOnceTheChosenPortAnswersAndStopClosesIt() async throws {
        let server = try await LoopbackHTTPServer.start(router: Self.router(), port: 0, label: "test")
        let answer: RawHTTPResponse
        do {
            #expect(server.port > 0)
            answer = try await Self.get(server.port)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        #expect(answer.status == 200 && answer.text == "hi")
        await #expect(throws: (any Error).self) { try await Self.get(server.port) }
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
