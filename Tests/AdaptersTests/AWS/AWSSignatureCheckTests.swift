import Foundation
import XCTest
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport
@testable import AWSClients

/// moto with signature checking on (`INITIAL_NO_AUTH_ACTION_COUNT`): our SigV4 must pass its check (botocore's
/// own computation), and a wrong secret or an unknown key must end as a clear AWSError that shows neither
/// the secret nor the signature.
final class AWSSignatureCheckTests: XCTestCase {
    func testMotoAcceptsOurSignatureAndAWrongSecretIsAClearErrorWithoutSecrets() throws {
        // The first three calls go unchecked: they make an IAM user with a key allowed to use DynamoDB.
        let server = try MotoServer(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "3"])
        defer { server.stop() }
        let key = try makeUserWithAccessKey(server: server)

        let good = Moto.client(.dynamoDB, server: server, credentials: key)
        XCTAssertNoThrow(try good.call("ListTables", .object([:])), "moto recomputes the signature and finds it equal")

        let wrongSecret = AWSCredentials(accessKeyID: key.accessKeyID, secretAccessKey: "wrong-secret-\(UUID().uuidString)")
        let recorder = RecordingHTTPClient()
        XCTAssertThrowsError(try Moto.client(.dynamoDB, server: server, http: recorder, credentials: wrongSecret)
            .call("ListTables", .object([:]))) { error in
            let awsError = error as? AWSError
            XCTAssertEqual(awsError?.status, 403)
            XCTAssertEqual(awsError?.type, "SignatureDoesNotMatch")
            XCTAssertEqual(awsError?.attempts, 1, "an authentication failure is not retried")
            let description = "\(error)"
            let signature = recorder.calls.first.flatMap { $0.authorization.components(separatedBy: "Signature=").last } ?? "?"
            XCTAssertEqual(signature.count, 64)
            for secret in [wrongSecret.secretAccessKey, key.secretAccessKey, signature] {
                XCTAssertFalse(description.contains(secret), description)
            }
            XCTAssertFalse(description.contains("Authorization"), description)
            XCTAssertTrue(description.hasPrefix("DynamoDB_20120810.ListTables failed with HTTP 403 SignatureDoesNotMatch: "), description)
        }

        let unknown = AWSCredentials(accessKeyID: "AKIANOSUCHKEY0000000", secretAccessKey: "whatever-secret-value")
        XCTAssertThrowsError(try Moto.client(.dynamoDB, server: server, credentials: unknown).call("ListTables", .object([:]))) { error in
            XCTAssertEqual((error as? AWSError)?.status, 403)
            XCTAssertEqual((error as? AWSError)?.type, "InvalidClientTokenId", "\(error)")
            XCTAssertFalse("\(error)".contains("whatever-secret-value"))
        }
    }

    /// IAM speaks the query protocol (form body, XML answer): three signed POSTs made by hand.
    func makeUserWithAccessKey(server: MotoServer) throws -> AWSCredentials {
        let signer = SigV4Signer(credentials: Moto.credentials, region: "us-east-1", service: "iam")
        let http = CurlHTTPClient()
        func call(_ parameters: [(String, String)]) throws -> String {
            let body = (parameters + [("Version", "2010-05-08")])
                .map { "\($0.0)=\(PercentEncoding.encode($0.1.utf8))" }.joined(separator: "&")
            let request = HTTPRequest(method: "POST", url: server.endpoint + "/",
                                      headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
                                      body: Array(body.utf8))
            let response = try http.send(signer.sign(request, at: Date()))
            let text = String(decoding: response.body, as: UTF8.self)
            guard response.status == 200 else { throw StoreError("IAM \(parameters[0].1) answered \(response.status): \(text)") }
            return text
        }
        _ = try call([("Action", "CreateUser"), ("UserName", "payments-test")])
        _ = try call([("Action", "PutUserPolicy"), ("UserName", "payments-test"), ("PolicyName", "dynamodb"),
                      ("PolicyDocument", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}"#)])
        let answer = try call([("Action", "CreateAccessKey"), ("UserName", "payments-test")])
        let id = try XCTUnwrap(AWSError.xmlElement("AccessKeyId", in: answer))
        let secret = try XCTUnwrap(AWSError.xmlElement("SecretAccessKey", in: answer))
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret)
    }
}
