import Foundation
import XCTest
@testable import LocalCloud

final class APIGatewayResponseMapperTests: XCTestCase {
    func map(_ json: String) -> GatewayHTTPResponse { APIGatewayResponseMapper.response(for: .response(Array(json.utf8))) }

    func testAStructuredResponseGivesItsStatusHeadersCookiesAndBody() {
        let response = map(#"{"statusCode":201,"headers":{"content-type":"application/json","x-count":3},"cookies":["a=1; Path=/","b=2"],"body":"{\"paymentId\":\"pay_1\"}","isBase64Encoded":false}"#)
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.values(of: "Content-Type"), ["application/json"])
        XCTAssertEqual(response.values(of: "x-count"), ["3"])
        XCTAssertEqual(response.values(of: "set-cookie"), ["a=1; Path=/", "b=2"])
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), #"{"paymentId":"pay_1"}"#)
    }

    func testABase64BodyIsDecoded() {
        let bytes: [UInt8] = [0, 1, 2, 0xFE, 0xFF]
        let response = map(#"{"statusCode":200,"body":"\#(Data(bytes).base64EncodedString())","isBase64Encoded":true}"#)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, bytes)
    }

    func testAStatusWithoutBodyHasAnEmptyBody() {
        let response = map(#"{"statusCode":204}"#)
        XCTAssertEqual(response, GatewayHTTPResponse(status: 204))
    }

    func testValidJSONWithoutStatusCodeIsA200JSONBody() {
        for json in [#"{"paymentId":"pay_1","status":"pending"}"#, #"["a",1]"#, #""text""#, "42"] {
            let response = map(json)
            XCTAssertEqual(response.status, 200, json)
            XCTAssertEqual(response.values(of: "content-type"), ["application/json"], json)
            XCTAssertEqual(response.body, Array(json.utf8), json)
        }
    }

    func testWhatIsNotAValidResponseIsA500() {
        for json in ["not json", #"{"statusCode":"200"}"#, #"{"statusCode":99}"#, #"{"statusCode":200.5}"#,
                     #"{"statusCode":200,"body":{"a":1}}"#, #"{"statusCode":200,"headers":["x"]}"#,
                     #"{"statusCode":200,"cookies":"a=1"}"#, #"{"statusCode":200,"body":"%%%","isBase64Encoded":true}"#,
                     #"{"statusCode":200,"isBase64Encoded":"yes"}"#, ""] {
            let response = map(json)
            XCTAssertEqual(response.status, 500, json)
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), #"{"message":"Internal Server Error"}"#, json)
        }
    }

    func testFailuresOfTheFunctionAre500s() {
        let failures: [InvokeResult] = [
            .functionError(body: Array(#"{"errorMessage":"boom","errorType":"Runtime.X"}"#.utf8), errorType: "Runtime.X"),
            .runtimeFailed(errorType: "Runtime.ExitError", message: "exit status 139"),
            .timedOut(seconds: 3),
        ]
        for failure in failures {
            let response = APIGatewayResponseMapper.response(for: failure)
            XCTAssertEqual(response.status, 500, "\(failure)")
            XCTAssertEqual(String(decoding: response.body, as: UTF8.self), #"{"message":"Internal Server Error"}"#)
            XCTAssertEqual(response.values(of: "content-type"), ["application/json"])
        }
    }
}
