import Foundation
import XCTest
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport
@testable import AWSClients

final class JSONWriterTests: XCTestCase {
    func testWritesCompactSortedJSONThatReadsBackTheSame() throws {
        let value: JSONValue = .object([
            "b": .array([.number("1"), .number("-2.50"), .number("1e3"), .bool(true), .bool(false), .null]),
            "a": .string("quote \" backslash \\ slash / newline \n tab \t nul \u{0} bell \u{7} é 日本 \u{1F600} \u{2028}"),
            "": .object([:]),
            "é": .array([]),
        ])
        let text = JSONWriter.string(value)
        XCTAssertEqual(text, #"{"":{},"a":"quote \" backslash \\ slash / newline \n tab \t nul \u0000 bell \u0007 é 日本 😀 "#
            + "\u{2028}" + #"","b":[1,-2.50,1e3,true,false,null],"é":[]}"#)
        XCTAssertEqual(try JSONValue(parsing: text), value)
    }
}

final class AWSConfigurationTests: XCTestCase {
    let keys = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret-value"]

    func testReadsRegionCredentialsAndEndpointFromTheEnvironment() throws {
        var environment = keys.merging(["AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-east-1"]) { $1 }
        var configuration = try AWSConfiguration.fromEnvironment(environment)
        XCTAssertEqual(configuration.region, "eu-west-1", "Lambda's AWS_REGION wins")
        XCTAssertEqual(configuration.endpoint(for: .dynamoDB), "https://dynamodb.eu-west-1.amazonaws.com")
        XCTAssertEqual(configuration.endpoint(for: .dynamoDBStreams), "https://streams.dynamodb.eu-west-1.amazonaws.com")
        XCTAssertEqual(configuration.endpoint(for: .eventBridge), "https://events.eu-west-1.amazonaws.com")
        XCTAssertEqual(configuration.endpoint(for: .sqs), "https://sqs.eu-west-1.amazonaws.com")

        environment["AWS_REGION"] = ""
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5000/"
        configuration = try AWSConfiguration.fromEnvironment(environment)
        XCTAssertEqual(configuration.region, "us-east-1", "an empty AWS_REGION falls back to AWS_DEFAULT_REGION")
        XCTAssertEqual(configuration.endpoint(for: .eventBridge), "http://127.0.0.1:5000")
    }

    func testAMissingVariableIsNamedAndNoValueIsShown() {
        XCTAssertThrowsError(try AWSConfiguration.fromEnvironment(keys)) { XCTAssertEqual("\($0)", "AWS_REGION is not set") }
        XCTAssertThrowsError(try AWSConfiguration.fromEnvironment(["AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKID"])) {
            XCTAssertEqual("\($0)", "AWS_SECRET_ACCESS_KEY is not set")
        }
    }
}

final class AWSJSONClientTests: XCTestCase {
    let configuration = AWSConfiguration(region: "eu-west-1",
                                         credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                                                     sessionToken: "session-token-value-secret"),
                                         endpointOverride: "http://aws.test")

    func client(_ http: any HTTPClient, clock: SteppingClock = SteppingClock(), random: Double = 0.5,
                maxAttempts: Int = 8, maxTotalTime: Double = 10, deadline: Date? = nil) -> AWSJSONClient {
        AWSJSONClient(service: .dynamoDB, configuration: configuration, http: http, clock: clock,
                      retry: AWSRetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.1, maxDelay: 1, maxTotalTime: maxTotalTime,
                                            random: { random }),
                      deadline: deadline)
    }

    func testSendsASignedJSONPostWithTheTargetAndParsesTheAnswer() throws {
        let http = ScriptedHTTPClient([.response(200, #"{"Item":{"pk":{"S":"PAYMENT#p"}},"n":12345678901234567890}"#)])
        let answer = try client(http).call("GetItem", .object(["TableName": .s("t"), "ConsistentRead": .bool(true)]))
        XCTAssertEqual(answer["Item"]?["pk"]?["S"]?.string, "PAYMENT#p")
        XCTAssertEqual(answer["n"], .number("12345678901234567890"), "numbers keep their text")
        let request = try XCTUnwrap(http.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url, "http://aws.test")
        XCTAssertEqual(String(decoding: request.body, as: UTF8.self), #"{"ConsistentRead":true,"TableName":"t"}"#)
        let headers = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        XCTAssertEqual(headers["x-amz-target"], "DynamoDB_20120810.GetItem")
        XCTAssertEqual(headers["content-type"], "application/x-amz-json-1.0")
        XCTAssertEqual(headers["x-amz-security-token"], "session-token-value-secret")
        XCTAssertTrue(headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20251124/eu-west-1/dynamodb/aws4_request") == true)
    }

    func testRetriesThrottlingServerErrorsAndTransportErrorsWithJitteredExponentialBackoff() throws {
        let http = ScriptedHTTPClient([
            .response(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}"#),
            .response(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}"#),
            .response(500, #"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"oops"}"#),
            .transportError,
            .response(503, "<html>Service Unavailable</html>"),
            .response(200, #"{"ok":true}"#),
        ])
        let clock = SteppingClock()
        XCTAssertEqual(try client(http, clock: clock).call("GetItem", .object([:]))["ok"], .bool(true))
        XCTAssertEqual(http.requests.count, 6)
        // Full jitter with the random source fixed at 0.5: half of 0.1, 0.2, 0.4, 0.8, then the 1 s cap.
        XCTAssertEqual(clock.sleeps, [0.05, 0.1, 0.2, 0.4, 0.5])
    }

    func testEveryThrottlingTypeIsRetried() throws {
        for type in ["ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
                     "ThrottledException", "TooManyRequestsException"] {
            let http = ScriptedHTTPClient([.response(400, #"{"__type":"com.amazonaws.x#\#(type)"}"#), .response(200, "{}")])
            XCTAssertNoThrow(try client(http).call("PutEvents", .object([:])), type)
            XCTAssertEqual(http.requests.count, 2, type)
        }
    }

    func testATransactionConflictIsRetriedAndAFailedConditionIsNot() throws {
        let conflict = #"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled [None, TransactionConflict]","CancellationReasons":[{"Code":"None"},{"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"}]}"#
        let condition = #"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled [ConditionalCheckFailed, None]","CancellationReasons":[{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},{"Code":"None"}]}"#
        let http = ScriptedHTTPClient([.response(400, conflict), .response(400, conflict), .response(400, condition)])
        let clock = SteppingClock()
        XCTAssertThrowsError(try client(http, clock: clock).call("TransactWriteItems", .object([:]))) { error in
            let error = error as! AWSError
            XCTAssertEqual(error.type, "TransactionCanceledException")
            XCTAssertEqual(error.cancellationReasons, ["ConditionalCheckFailed", "None"])
            XCTAssertEqual(error.attempts, 3)
        }
        XCTAssertEqual(clock.sleeps, [0.05, 0.1])
    }

    func testAClientErrorIsNotRetriedAndReadsTypeAndMessage() throws {
        let http = ScriptedHTTPClient([.response(400, #"{"__type":"com.amazon.coral.validate#ValidationException","message":"One or more parameter values were invalid"}"#)])
        XCTAssertThrowsError(try client(http).call("PutItem", .object([:]))) { error in
            XCTAssertEqual(error as? AWSError, AWSError(operation: "DynamoDB_20120810.PutItem", status: 400, type: "ValidationException",
                                                        message: "One or more parameter values were invalid"))
            XCTAssertEqual("\(error)", "DynamoDB_20120810.PutItem failed with HTTP 400 ValidationException: One or more parameter values were invalid")
        }
        XCTAssertEqual(http.requests.count, 1)
    }

    func testTheDeadlineStopsRetrying() throws {
        let clock = SteppingClock()
        let always500 = ScriptedHTTPClient(Array(repeating: .response(500, "{}"), count: 20))
        // Pauses of 0.1, 0.2, 0.4 (random fixed at 1.0): the next one, 0.8, would end after the deadline at 1 s.
        XCTAssertThrowsError(try client(always500, clock: clock, random: 1.0, deadline: clock.now().addingTimeInterval(1))
            .call("GetItem", .object([:]))) { error in
            XCTAssertEqual((error as? AWSError)?.status, 500)
            XCTAssertEqual((error as? AWSError)?.attempts, 4)
        }
        XCTAssertEqual(clock.sleeps, [0.1, 0.2, 0.4])
        XCTAssertLessThanOrEqual(always500.requests.map { $0.timeout ?? 99 }.max() ?? 99, 1, "no attempt may outlast the deadline")

        // Without a deadline, the policy's total time is the limit.
        let otherClock = SteppingClock()
        let again = ScriptedHTTPClient(Array(repeating: .transportError, count: 20))
        XCTAssertThrowsError(try client(again, clock: otherClock, random: 1.0, maxTotalTime: 0.5).call("GetItem", .object([:]))) { error in
            XCTAssertEqual((error as? AWSError)?.type, "TransportError")
            XCTAssertTrue("\(error)".contains("Couldn't connect to server"), "\(error)")
        }
        XCTAssertEqual(otherClock.sleeps, [0.1, 0.2])

        let capped = ScriptedHTTPClient(Array(repeating: .response(500, "{}"), count: 20))
        XCTAssertThrowsError(try client(capped, maxAttempts: 3).call("GetItem", .object([:])))
        XCTAssertEqual(capped.requests.count, 3)
    }

    func testAnXMLErrorIsReadAndNeverCarriesTheCanonicalRequestOrASecret() throws {
        let xml = """
            <ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we \
            calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. \
            The Canonical String for this request should have been 'POST / x-amz-security-token:session-token-value-secret'\
            </Message></Error><RequestId>1</RequestId></ErrorResponse>
            """
        let http = ScriptedHTTPClient([.response(403, xml)])
        XCTAssertThrowsError(try client(http).call("GetItem", .object([:]))) { error in
            let description = "\(error)"
            XCTAssertEqual((error as? AWSError)?.type, "SignatureDoesNotMatch")
            XCTAssertTrue(description.contains("does not match the signature you provided"), description)
            XCTAssertFalse(description.contains("session-token-value-secret"), description)
            XCTAssertFalse(description.contains("Canonical"), description)
        }
        // A message that echoes a secret outright is redacted too.
        let echo = ScriptedHTTPClient([.response(400, #"{"__type":"X#Weird","message":"key wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}"#)])
        XCTAssertThrowsError(try client(echo).call("GetItem", .object([:]))) { error in
            XCTAssertEqual("\(error)", "DynamoDB_20120810.GetItem failed with HTTP 400 Weird: key <redacted>")
        }
    }

    func testAnAnswerThatIsNotJSONIsAClearError() {
        let http = ScriptedHTTPClient([.response(200, "<ListAllMyBucketsResult/>")])
        XCTAssertThrowsError(try client(http).call("GetItem", .object([:]))) { error in
            XCTAssertEqual((error as? AWSError)?.type, "MalformedResponse")
        }
        XCTAssertEqual(http.requests.count, 1)
    }
}
