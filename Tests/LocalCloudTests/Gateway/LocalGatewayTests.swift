import Foundation
import XCTest
import PaymentsCore
import Platform
@testable import LocalCloud

final class LocalGatewayTests: XCTestCase {
    let routes = try! GatewayRoutes(functions: [
        ("stripe-payment", ["POST /payments/stripe", "GET /payments/{id}"]),
        ("stripe-webhook", ["POST /webhooks/stripe"]),
    ])

    func testARequestBecomesAnEventForItsFunctionAndTheAnswerComesBackAsHTTP() async throws {
        let invoker = RecordingInvoker { _, _ in
            .response(Array(#"{"statusCode":201,"headers":{"content-type":"text/plain","x-extra":"1"},"cookies":["a=1; HttpOnly","b=2"],"body":"aGVsbG8A/w==","isBase64Encoded":true}"#.utf8))
        }
        let logs = LogLines()
        let gateway = LocalGateway(routes: routes, invoker: invoker, logger: logs.sink)
        try await withGateway(gateway) { port in
            let response = try await RawHTTP.send(port: port, method: "POST", target: "/payments/stripe?x=1&x=2",
                                            headers: [("Content-Type", "application/json"), ("Idempotency-Key", "k-1"),
                                                      ("X-Twice", "a"), ("X-Twice", "b"), ("Cookie", "s=1; t=2")],
                                            body: Array(#"{"orderId":"ord_1"}"#.utf8))
            XCTAssertEqual(response.status, 201)
            XCTAssertEqual(response.body, Array("hello".utf8) + [0, 0xFF])
            XCTAssertEqual(response.values(of: "content-type"), ["text/plain"])
            XCTAssertEqual(response.values(of: "x-extra"), ["1"])
            XCTAssertEqual(response.values(of: "set-cookie"), ["a=1; HttpOnly", "b=2"])
            let requestID = try XCTUnwrap(response.values(of: "apigw-requestid").first)

            let call = try XCTUnwrap(invoker.recorded.first)
            XCTAssertEqual(invoker.recorded.count, 1)
            XCTAssertEqual(call.function, "stripe-payment")
            // The invocation has Lambda's own id, a UUID that is safe in the Runtime API's URL paths
            // (the gateway's ids hold '/' and '='); the gateway's id is in the event.
            XCTAssertNotNil(UUID(uuidString: call.request.requestID), call.request.requestID)
            XCTAssertNotEqual(call.request.requestID, requestID)
            XCTAssertNotNil(call.request.traceID)
            let event = try APIGatewayV2Request(event: call.request.payload)
            XCTAssertEqual(event.routeKey, "POST /payments/stripe")
            XCTAssertEqual(event.rawQueryString, "x=1&x=2")
            XCTAssertEqual(event.header("idempotency-key"), "k-1")
            XCTAssertEqual(event.header("x-twice"), "a,b")
            XCTAssertEqual(event.requestContext.requestId, requestID)
            XCTAssertEqual(event.requestContext.http.sourceIp, "127.0.0.1")
            XCTAssertEqual(event.rawBody(), Array(#"{"orderId":"ord_1"}"#.utf8))
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(call.request.payload)) as? [String: Any])
            XCTAssertEqual(json["cookies"] as? [String], ["s=1", "t=2"])
            XCTAssertEqual(json["queryStringParameters"] as? [String: String], ["x": "1,2"])
            XCTAssertEqual((json["headers"] as? [String: String])?["host"], "127.0.0.1:\(port)")

            let line = try XCTUnwrap(logs.all.first)
            XCTAssertTrue(line.hasPrefix("\(requestID) POST /payments/stripe -> stripe-payment 201 "), line)
            XCTAssertTrue(line.hasSuffix(" [lambda \(call.request.requestID)]"), line)
            XCTAssertTrue(line.contains(" ms"), line)
        }
    }

    func testAFunctionsFramingHeadersDoNotReachTheWire() async throws {
        let invoker = RecordingInvoker { _, _ in
            .response(Array(#"{"statusCode":200,"headers":{"content-length":"999","transfer-encoding":"chunked","connection":"upgrade","x-kept":"yes"},"body":"ok"}"#.utf8))
        }
        try await withGateway(LocalGateway(routes: routes, invoker: invoker, logger: { _ in })) { port in
            let response = try await RawHTTP.send(port: port, method: "GET", target: "/payments/pay_1")
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.text, "ok")
            XCTAssertEqual(response.values(of: "content-length"), ["2"])
            XCTAssertEqual(response.values(of: "transfer-encoding"), [])
            XCTAssertEqual(response.values(of: "x-kept"), ["yes"])
        }
    }

    func testAnUnknownRouteIs404AndReachesNoFunction() async throws {
        let invoker = RecordingInvoker { _, _ in .response(Array("{}".utf8)) }
        let logs = LogLines()
        try await withGateway(LocalGateway(routes: routes, invoker: invoker, logger: logs.sink)) { port in
            for (method, target) in [("POST", "/payments/unknown"), ("GET", "/webhooks/stripe"), ("PUT", "/payments/pay_1"), ("GET", "/")] {
                let response = try await RawHTTP.send(port: port, method: method, target: target)
                XCTAssertEqual(response.status, 404, "\(method) \(target)")
                XCTAssertEqual(response.text, #"{"message":"Not Found"}"#)
                XCTAssertEqual(response.values(of: "content-type"), ["application/json"])
            }
            XCTAssertTrue(invoker.recorded.isEmpty)
            XCTAssertTrue(logs.all.allSatisfy { $0.contains(" -> - 404 ") }, "\(logs.all)")
        }
    }

    func testABodyOverTheLimitIs413AndReachesNoFunction() async throws {
        let invoker = RecordingInvoker { _, _ in .response(Array(#"{"statusCode":200}"#.utf8)) }
        try await withGateway(LocalGateway(routes: routes, invoker: invoker, logger: { _ in })) { port in
            let limit = GatewayCore.defaultMaximumBodyBytes
            let over = try await RawHTTP.send(port: port, method: "POST", target: "/webhooks/stripe",
                                        headers: [("Content-Type", "application/octet-stream")],
                                        body: [UInt8](repeating: 0x61, count: limit + 1))
            XCTAssertEqual(over.status, 413)
            XCTAssertEqual(over.text, #"{"message":"Request Entity Too Large"}"#)
            XCTAssertTrue(invoker.recorded.isEmpty)

            let atLimit = try await RawHTTP.send(port: port, method: "POST", target: "/webhooks/stripe",
                                           headers: [("Content-Type", "application/octet-stream")],
                                           body: [UInt8](repeating: 0x61, count: limit))
            XCTAssertEqual(atLimit.status, 200)
            let call = try XCTUnwrap(invoker.recorded.first)
            XCTAssertEqual(try APIGatewayV2Request(event: call.request.payload).rawBody()?.count, limit)
        }
    }

    func testABodyStreamedPastTheLimitWithoutContentLengthIs413() async throws {
        let invoker = RecordingInvoker { _, _ in .response(Array(#"{"statusCode":200}"#.utf8)) }
        try await withGateway(LocalGateway(routes: routes, invoker: invoker, logger: { _ in }, maximumBodyBytes: 100)) { port in
            let chunk = [UInt8](repeating: 0x62, count: 80)
            var request = Array("POST /webhooks/stripe HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            for _ in 0..<2 { request += Array("50\r\n".utf8) + chunk + Array("\r\n".utf8) }
            request += Array("0\r\n\r\n".utf8)
            let response = try await RawHTTP.exchange(port: port, bytes: request)
            XCTAssertEqual(response.status, 413)
            XCTAssertTrue(invoker.recorded.isEmpty)
        }
    }

    func testFunctionFailuresAre500sAndAnInvocationPastTheIntegrationTimeoutIs503() async throws {
        let invoker = RecordingInvoker { _, request in
            let body = try? APIGatewayV2Request(event: request.payload).rawBody()
            switch body.map({ String(decoding: $0, as: UTF8.self) }) {
            case "error"?: return .functionError(body: Array(#"{"errorMessage":"x","errorType":"Runtime.X"}"#.utf8), errorType: "Runtime.X")
            case "crash"?: return .runtimeFailed(errorType: "Runtime.ExitError", message: "signal 9")
            case "timeout"?: return .timedOut(seconds: 3)
            case "garbage"?: return .response(Array("<html>".utf8))
            default:
                try? await Task.sleep(for: .seconds(5))
                return .response(Array(#"{"statusCode":200}"#.utf8))
            }
        }
        let logs = LogLines()
        let gateway = LocalGateway(routes: routes, invoker: invoker, logger: logs.sink, integrationTimeout: .milliseconds(300))
        try await withGateway(gateway) { port in
            for body in ["error", "crash", "timeout", "garbage"] {
                let response = try await RawHTTP.send(port: port, method: "POST", target: "/webhooks/stripe",
                                                headers: [("Content-Type", "text/plain")], body: Array(body.utf8))
                XCTAssertEqual(response.status, 500, body)
                XCTAssertEqual(response.text, #"{"message":"Internal Server Error"}"#, body)
            }
            let started = ContinuousClock.now
            let slow = try await RawHTTP.send(port: port, method: "POST", target: "/webhooks/stripe",
                                        headers: [("Content-Type", "text/plain")], body: Array("slow".utf8))
            XCTAssertEqual(slow.status, 503)
            XCTAssertEqual(slow.text, #"{"message":"Service Unavailable"}"#)
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))
            XCTAssertTrue(logs.all.contains { $0.contains("(Task timed out after 3.0 seconds)") }, "\(logs.all)")
            XCTAssertTrue(logs.all.contains { $0.contains(" 503 ") && $0.contains("(integration timeout)") }, "\(logs.all)")
        }
    }

    func testStopClosesThePortAndABusyPortIsReported() async throws {
        let invoker = RecordingInvoker { _, _ in .response(Array("{}".utf8)) }
        let first = LocalGateway(routes: routes, invoker: invoker, logger: { _ in })
        let port = try await first.start(port: 0)
        do {
            XCTAssertGreaterThan(port, 0)
            let second = LocalGateway(routes: routes, invoker: invoker, logger: { _ in })
            do {
                let bound = try await second.start(port: port)
                await second.stop()
                XCTFail("a second gateway bound the busy port \(bound)")
            } catch {
                // The bind's own refusal (EADDRINUSE), not some other failure on the way.
                XCTAssertTrue(String(describing: error).contains("Address already in use"), "\(error)")
            }
            do {
                _ = try await first.start(port: 0)
                XCTFail("started twice")
            } catch {
                XCTAssertEqual((error as? LocalGatewayError)?.description, "the gateway is already started", "\(error)")
            }
            let answered = try await RawHTTP.send(port: port, method: "GET", target: "/payments/x")
            XCTAssertEqual(answered.status, 200)
        } catch {
            await first.stop()
            throw error
        }
        await first.stop()
        XCTAssertThrowsError(try RawHTTP.connectLoopback(port: port), "the port is closed after stop")
    }
}
