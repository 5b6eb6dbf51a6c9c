import Foundation
import XCTest
import PaymentsCore
import Platform
@testable import LocalCloud

final class APIGatewayEventBuilderTests: XCTestCase {
    let builder = APIGatewayEventBuilder(accountID: "123456789012", apiID: "local", port: 3000)
    let match = GatewayRoutes.Match(routeKey: "POST /payments/{provider}", function: "stripe-payment", pathParameters: ["provider": "stripe"])

    func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    func testHeadersCookiesQueryAndRequestContextAreBuiltAsHTTPAPIsBuildThem() throws {
        let request = GatewayHTTPRequest(
            method: "post",
            target: "/payments/stripe?b=2&a=1&b=3&flag&enc=a%20b%2Bc&plus=x+y",
            headers: [("Host", "api.example.com:3000"), ("Content-Type", "application/json"), ("X-Multi", "one"),
                      ("Cookie", "session=abc; theme=dark"), ("x-multi", "two"), ("Cookie", "lang=en"),
                      ("User-Agent", "curl/8.5.0"), ("Idempotency-Key", "key-1")],
            body: Array(#"{"orderId":"ord_1"}"#.utf8), sourceIP: "10.1.2.3")
        let event = builder.event(for: request, route: match, requestID: "JKJaXmPLvHcESHA=",
                                  epochMilliseconds: 1_764_000_001_234, traceID: "Root=1-00000000-000000000000000000000000")
        let json = try object(event)
        XCTAssertEqual(json["version"] as? String, "2.0")
        XCTAssertEqual(json["routeKey"] as? String, "POST /payments/{provider}")
        XCTAssertEqual(json["rawPath"] as? String, "/payments/stripe")
        XCTAssertEqual(json["rawQueryString"] as? String, "b=2&a=1&b=3&flag&enc=a%20b%2Bc&plus=x+y")
        XCTAssertEqual(json["cookies"] as? [String], ["session=abc", "theme=dark", "lang=en"])
        let headers = try XCTUnwrap(json["headers"] as? [String: String])
        XCTAssertNil(headers["cookie"], "cookies travel in 'cookies', not in the headers")
        XCTAssertEqual(headers["x-multi"], "one,two")
        XCTAssertEqual(headers["host"], "api.example.com:3000")
        XCTAssertEqual(headers["content-type"], "application/json")
        XCTAssertEqual(headers["idempotency-key"], "key-1")
        XCTAssertEqual(headers["x-forwarded-for"], "10.1.2.3")
        XCTAssertEqual(headers["x-forwarded-port"], "3000")
        XCTAssertEqual(headers["x-forwarded-proto"], "http")
        XCTAssertEqual(headers["x-amzn-trace-id"], "Root=1-00000000-000000000000000000000000")
        XCTAssertTrue(headers.keys.allSatisfy { $0 == $0.lowercased() })
        XCTAssertEqual(json["queryStringParameters"] as? [String: String],
                       ["a": "1", "b": "2,3", "flag": "", "enc": "a b+c", "plus": "x+y"])
        XCTAssertEqual(json["pathParameters"] as? [String: String], ["provider": "stripe"])
        XCTAssertEqual(json["body"] as? String, #"{"orderId":"ord_1"}"#)
        XCTAssertEqual(json["isBase64Encoded"] as? Bool, false)

        let context = try XCTUnwrap(json["requestContext"] as? [String: Any])
        XCTAssertEqual(context["accountId"] as? String, "123456789012")
        XCTAssertEqual(context["apiId"] as? String, "local")
        XCTAssertEqual(context["domainName"] as? String, "api.example.com")
        XCTAssertEqual(context["domainPrefix"] as? String, "api")
        XCTAssertEqual(context["requestId"] as? String, "JKJaXmPLvHcESHA=")
        XCTAssertEqual(context["routeKey"] as? String, "POST /payments/{provider}")
        XCTAssertEqual(context["stage"] as? String, "$default")
        XCTAssertEqual(context["time"] as? String, "24/Nov/2025:16:00:01 +0000")
        XCTAssertEqual((context["timeEpoch"] as? NSNumber)?.int64Value, 1_764_000_001_234)
        let http = try XCTUnwrap(context["http"] as? [String: String])
        XCTAssertEqual(http, ["method": "POST", "path": "/payments/stripe", "protocol": "HTTP/1.1",
                              "sourceIp": "10.1.2.3", "userAgent": "curl/8.5.0"])

        // The functions' strict reader takes it, and sees what was sent.
        let read = try APIGatewayV2Request(event: event)
        XCTAssertEqual(read.method, "POST")
        XCTAssertEqual(read.rawPath, "/payments/stripe")
        XCTAssertEqual(read.header("Idempotency-Key"), "key-1")
        XCTAssertEqual(read.pathParameters, ["provider": "stripe"])
        XCTAssertEqual(read.requestContext.requestId, "JKJaXmPLvHcESHA=")
        XCTAssertEqual(read.requestContext.http.sourceIp, "10.1.2.3")
        XCTAssertEqual(read.rawBody(), Array(#"{"orderId":"ord_1"}"#.utf8))
    }

    func testKeysAWSOmitsWhenEmptyAreOmitted() throws {
        let request = GatewayHTTPRequest(method: "GET", target: "/payments/pay_1", headers: [("Host", "localhost")])
        let event = builder.event(for: request, route: .init(routeKey: "GET /payments/{id}", function: "f", pathParameters: [:]),
                                  requestID: "r", epochMilliseconds: 0)
        let json = try object(event)
        for key in ["cookies", "queryStringParameters", "pathParameters", "body"] {
            XCTAssertNil(json[key], "\(key) is left out when empty")
        }
        XCTAssertEqual(json["rawQueryString"] as? String, "")
        XCTAssertEqual(json["isBase64Encoded"] as? Bool, false)
        let context = try XCTUnwrap(json["requestContext"] as? [String: Any])
        XCTAssertEqual(context["time"] as? String, "01/Jan/1970:00:00:00 +0000")
        XCTAssertEqual(context["domainName"] as? String, "localhost")
        let read = try APIGatewayV2Request(event: event)
        XCTAssertNil(read.body)
        XCTAssertEqual(read.rawBody(), [])
    }

    func testBodiesOfNonTextTypesArriveBase64EncodedAndDecodeToTheSameBytes() throws {
        let binary: [UInt8] = [0x00, 0xFF, 0x10, 0x80, 0x7B, 0x22]
        let cases: [(contentType: String?, body: [UInt8], base64: Bool)] = [
            ("application/octet-stream", binary, true),
            (nil, Array("plain words".utf8), true),
            ("application/x-www-form-urlencoded", Array("bt_signature=a%7Cb&bt_payload=PD94".utf8), true),
            ("text/plain; charset=latin1", [0x63, 0x61, 0x66, 0xE9], true),   // not UTF-8: bytes kept exact
            ("text/plain; charset=utf-8", Array("café".utf8), false),
            ("Application/JSON; charset=utf-8", Array(#"{"a":"é"}"#.utf8), false),
            ("application/xml", Array("<a/>".utf8), false),
            ("application/javascript", Array("x()".utf8), false),
            ("application/problem+json", Array("{}".utf8), true),
        ]
        for (contentType, body, base64) in cases {
            var headers: [(name: String, value: String)] = [("host", "localhost")]
            if let contentType { headers.append(("Content-Type", contentType)) }
            let request = GatewayHTTPRequest(method: "POST", target: "/webhooks/braintree", headers: headers, body: body)
            let event = builder.event(for: request, route: .init(routeKey: "POST /webhooks/braintree", function: "f", pathParameters: [:]),
                                      requestID: "r", epochMilliseconds: 0)
            let json = try object(event)
            XCTAssertEqual(json["isBase64Encoded"] as? Bool, base64, "\(contentType ?? "no content type")")
            if base64 {
                XCTAssertEqual(json["body"] as? String, Data(body).base64EncodedString())
            }
            let read = try APIGatewayV2Request(event: event)
            XCTAssertEqual(read.rawBody(), body, "\(contentType ?? "no content type")")
        }
    }

    func testForwardedForIsAppendedToAndRequestTimeIsUTC() throws {
        let request = GatewayHTTPRequest(method: "GET", target: "/x", headers: [("X-Forwarded-For", "203.0.113.9")], sourceIP: "127.0.0.1")
        let json = try object(builder.event(for: request, route: .init(routeKey: "GET /x", function: "f", pathParameters: [:]),
                                            requestID: "r", epochMilliseconds: 951_782_400_000))
        XCTAssertEqual((json["headers"] as? [String: String])?["x-forwarded-for"], "203.0.113.9, 127.0.0.1")
        XCTAssertEqual((json["requestContext"] as? [String: Any])?["time"] as? String, "29/Feb/2000:00:00:00 +0000")
        XCTAssertEqual(APIGatewayTime.format(epochMilliseconds: 1_798_761_599_999), "31/Dec/2026:23:59:59 +0000")
    }

    func testRequestIdentifiersLookLikeAWSs() {
        let id = GatewayIdentifiers.requestID()
        XCTAssertEqual(id.count, 16)
        XCTAssertNotEqual(id, GatewayIdentifiers.requestID())
        let trace = GatewayIdentifiers.traceID(epochSeconds: 0x6924_8181)
        XCTAssertTrue(trace.hasPrefix("Root=1-69248181-"), trace)
        XCTAssertEqual(trace.count, "Root=1-69248181-".count + 24)
    }
}
