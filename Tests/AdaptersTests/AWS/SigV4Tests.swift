import Foundation
import XCTest
import PaymentsCore
import Platform
@testable import AWSClients

/// SigV4 against botocore's own signer: Tests/Fixtures/AWS/sigv4.json is `SigV4Auth.add_auth`'s output for
/// each input (scripts/sigv4_fixtures.py), so any difference in canonicalisation shows up as a failed case.
final class SigV4Tests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            struct Input: Decodable {
                var method: String
                var url: String
                var headers: [[String]]
                var body: String
                var service: String
                var region: String
                var accessKeyId: String
                var secretAccessKey: String
                var sessionToken: String?
                var timestamp: Double
            }
            var name: String
            var input: Input
            var expected: [String: String]
            var canonicalRequest: String
        }
        var cases: [Case]
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/AWS/sigv4.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    static func signer(_ input: Fixture.Case.Input) -> SigV4Signer {
        SigV4Signer(credentials: AWSCredentials(accessKeyID: input.accessKeyId, secretAccessKey: input.secretAccessKey,
                                                sessionToken: input.sessionToken),
                    region: input.region, service: input.service)
    }

    static func request(_ input: Fixture.Case.Input) -> HTTPRequest {
        HTTPRequest(method: input.method, url: input.url, headers: input.headers.map { (name: $0[0], value: $0[1]) },
                    body: Array(input.body.utf8))
    }

    static func headers(named name: String, in request: HTTPRequest) -> [String] {
        request.headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    func testMatchesBotocoreForEveryFixtureCase() throws {
        let fixture = try Self.fixture()
        XCTAssertGreaterThanOrEqual(fixture.cases.count, 10)
        for testCase in fixture.cases {
            let input = testCase.input
            let signer = Self.signer(input)
            let signed = signer.sign(Self.request(input), at: Date(timeIntervalSince1970: input.timestamp))

            var dated = signed
            dated.headers.removeAll { $0.name == "Authorization" }
            XCTAssertEqual(signer.canonicalRequest(dated).text, testCase.canonicalRequest, "canonical request: \(testCase.name)")
            for name in ["Authorization", "X-Amz-Date", "X-Amz-Security-Token"] {
                let expected = testCase.expected[name].map { [$0] } ?? []
                XCTAssertEqual(Self.headers(named: name, in: signed), expected, "\(name): \(testCase.name)")
            }
            // Everything the caller set, other than what signing replaces, is sent as it was.
            let replaced: Set<String> = input.sessionToken == nil ? ["authorization", "x-amz-date"]
                : ["authorization", "x-amz-date", "x-amz-security-token"]
            let kept = signed.headers.filter { !replaced.contains($0.name.lowercased()) }
            let original = input.headers.filter { !replaced.contains($0[0].lowercased()) }
            XCTAssertEqual(kept.map { [$0.name, $0.value] }, original, "other headers: \(testCase.name)")
            XCTAssertEqual(signed.body, Array(input.body.utf8))
            XCTAssertEqual(signed.url, input.url)
        }
    }

    func testSigningIsDeterministicAndEachInputChangesTheSignature() throws {
        let input = try XCTUnwrap(Self.fixture().cases.first { $0.name == "dynamodb-getitem" }).input
        let date = Date(timeIntervalSince1970: input.timestamp)
        func authorization(_ signer: SigV4Signer, _ request: HTTPRequest, at date: Date) -> String {
            Self.headers(named: "Authorization", in: signer.sign(request, at: date)).joined()
        }
        let signer = Self.signer(input)
        let request = Self.request(input)
        let reference = authorization(signer, request, at: date)
        XCTAssertEqual(authorization(signer, request, at: date.addingTimeInterval(0.999)), reference, "fractions of a second are not signed")

        var otherBody = request
        otherBody.body[otherBody.body.count / 2] ^= 1
        var otherSecret = signer
        otherSecret.credentials.secretAccessKey += "x"
        var otherHeader = request
        otherHeader.headers[0].value += "x"
        var otherRegion = signer
        otherRegion.region = "us-west-2"
        let variants = [
            authorization(signer, otherBody, at: date),
            authorization(otherSecret, request, at: date),
            authorization(signer, otherHeader, at: date),
            authorization(otherRegion, request, at: date),
            authorization(signer, request, at: date.addingTimeInterval(1)),
        ]
        for variant in variants { XCTAssertNotEqual(variant, reference) }
        XCTAssertEqual(Set(variants).count, variants.count)
    }

    func testSigningASignedRequestAgainReplacesTheOldSignature() throws {
        let input = try XCTUnwrap(Self.fixture().cases.first { $0.name == "session-token" }).input
        let signer = Self.signer(input)
        let first = signer.sign(Self.request(input), at: Date(timeIntervalSince1970: input.timestamp))
        let again = signer.sign(first, at: Date(timeIntervalSince1970: input.timestamp))
        XCTAssertEqual(again.headers.map(\.name), first.headers.map(\.name))
        XCTAssertEqual(again.headers.map(\.value), first.headers.map(\.value))
    }

    func testAQueryNotYetEncodedIsSignedAsTheServiceCanonicalisesIt() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret"), region: "us-east-1", service: "sqs")
        let date = Date(timeIntervalSince1970: 1_764_000_000)
        let raw = signer.sign(HTTPRequest(method: "GET", url: "https://sqs.us-east-1.amazonaws.com/?QueueUrl=https://q/1&b=a%2fb"), at: date)
        let encoded = signer.sign(HTTPRequest(method: "GET", url: "https://sqs.us-east-1.amazonaws.com/?QueueUrl=https%3A%2F%2Fq%2F1&b=a%2Fb"), at: date)
        XCTAssertEqual(Self.headers(named: "Authorization", in: raw), Self.headers(named: "Authorization", in: encoded))
        XCTAssertEqual(SigV4Signer.canonicalQuery("b=a%2fb&QueueUrl=https://q/1&x"), "QueueUrl=https%3A%2F%2Fq%2F1&b=a%2Fb&x=")
    }

    func testAmzTimeAcrossDayAndYearBoundaries() {
        for (seconds, stamp) in [(0.0, "19700101T000000Z"), (951_782_400, "20000229T000000Z"), (1_709_251_199.9, "20240229T235959Z"),
                                 (1_767_225_599, "20251231T235959Z"), (1_767_225_600, "20260101T000000Z"), (-1, "19691231T235959Z")] {
            let time = AmzTime(Date(timeIntervalSince1970: seconds))
            XCTAssertEqual(time.stamp, stamp)
            XCTAssertEqual(time.day, String(stamp.prefix(8)))
        }
    }

    // MARK: Credentials

    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "IQoJb3JpZ2luX2VjEXAMPLEsessiontoken"

    func testCredentialsNeverPrintTheSecretOrToken() {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token)
        var dumped = ""
        dump(credentials, to: &dumped)
        var dumpedArray = ""
        dump([credentials], to: &dumpedArray)
        let renderings = [
            credentials.description, credentials.debugDescription, "\(credentials)", String(describing: credentials),
            String(reflecting: credentials), "\([credentials])", "\(Optional(credentials) as Any)", dumped, dumpedArray,
        ]
        for text in renderings {
            XCTAssertFalse(text.contains(Self.secret), text)
            XCTAssertFalse(text.contains(Self.token), text)
            XCTAssertFalse(text.contains("EXAMPLEKEY"), text)
            XCTAssertTrue(text.contains("AKIDEXAMPLE"), text)
        }
    }

    func testCredentialsFromTheEnvironment() throws {
        let full = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token]
        XCTAssertEqual(try AWSCredentials.fromEnvironment(full),
                       AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token))
        var longTerm = full
        longTerm["AWS_SESSION_TOKEN"] = ""
        XCTAssertNil(try AWSCredentials.fromEnvironment(longTerm).sessionToken)

        for (missing, environment) in [("AWS_ACCESS_KEY_ID", full.filter { $0.key != "AWS_ACCESS_KEY_ID" }),
                                       ("AWS_SECRET_ACCESS_KEY", full.filter { $0.key != "AWS_SECRET_ACCESS_KEY" }),
                                       ("AWS_SECRET_ACCESS_KEY", full.merging(["AWS_SECRET_ACCESS_KEY": ""]) { $1 })] {
            XCTAssertThrowsError(try AWSCredentials.fromEnvironment(environment)) { error in
                XCTAssertEqual(error as? AWSCredentials.MissingVariable, AWSCredentials.MissingVariable(name: missing))
                let text = "\(error)"
                XCTAssertTrue(text.contains(missing), text)
                XCTAssertFalse(text.contains(Self.secret) || text.contains(Self.token) || text.contains("AKIDEXAMPLE"), text)
            }
        }
    }
}
