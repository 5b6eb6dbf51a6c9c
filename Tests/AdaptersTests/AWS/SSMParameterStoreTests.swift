import Foundation
import Testing
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport
@testable import AWSClients

/// Parameter Store's GetParameter on moto: a SecureString comes back decrypted, a missing parameter and a
/// caller without ssm:GetParameter are errors naming the parameter, and none of them holds a value.
struct SSMParameterStoreTests {
    @Test func aSecureStringIsReadDecryptedAndAMissingOneIsNamed() throws {
        let moto = try MotoServer.shared()
        let client = Moto.client(.ssm, server: moto)
        let name = "/parameter-store-\(UUID().uuidString.prefix(8))/STRIPE_WEBHOOK_SECRET"
        let value = "whsec_Cp8vWW3tAsb4sjbxlJNJZRTcXr7k3tUO"
        _ = try client.call("PutParameter", .object(["Name": .string(name), "Value": .string(value), "Type": .string("SecureString")]))
        // moto answers a SecureString read without WithDecryption as "kms:alias/aws/ssm:VALUE".
        #expect(try SSMParameterStore(client: client).value(of: name) == value)
        // Any client of the account will do: the store signs as ssm.
        #expect(try SSMParameterStore(client: Moto.client(.dynamoDB, server: moto)).value(of: name) == value)

        let error = try #require(throws: SSMParameterStore.ReadError.self) { try SSMParameterStore(client: client).value(of: name + "-missing") }
        guard case .notFound(let parameter) = error else { Issue.record("\(error)"); return }
        #expect(parameter == name + "-missing")
        #expect(error.description == "SSM parameter \(name)-missing does not exist")
    }

    /// moto with IAM checks on: a user whose policy grants no ssm:GetParameter is refused.
    @Test func aCallerWithoutGetParameterIsAccessDenied() throws {
        // The first four calls go unchecked: the user, its policy, its key, and the parameter.
        let server = try MotoServer(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "4"])
        defer { server.stop() }
        let signer = SigV4Signer(credentials: Moto.credentials, region: "us-east-1", service: "iam")
        func iam(_ parameters: [(String, String)]) throws -> String {
            let body = (parameters + [("Version", "2010-05-08")]).map { "\($0.0)=\(PercentEncoding.encode($0.1.utf8))" }.joined(separator: "&")
            let request = HTTPRequest(method: "POST", url: server.endpoint + "/",
                                      headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")], body: Array(body.utf8))
            return String(decoding: try CurlHTTPClient().send(signer.sign(request, at: Date())).body, as: UTF8.self)
        }
        _ = try iam([("Action", "CreateUser"), ("UserName", "no-ssm")])
        _ = try iam([("Action", "PutUserPolicy"), ("UserName", "no-ssm"), ("PolicyName", "dynamodb"),
                     ("PolicyDocument", #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}"#)])
        let answer = try iam([("Action", "CreateAccessKey"), ("UserName", "no-ssm")])
        let key = AWSCredentials(accessKeyID: try #require(AWSError.xmlElement("AccessKeyId", in: answer)),
                                 secretAccessKey: try #require(AWSError.xmlElement("SecretAccessKey", in: answer)))
        _ = try Moto.client(.ssm, server: server).call("PutParameter", .object([
            "Name": .string("/payments/STRIPE_WEBHOOK_SECRET"), "Value": .string("whsec_Cp8vWW3tAsb4sjbxlJNJZRTcXr7k3tUO"), "Type": .string("SecureString")]))

        let error = try #require(throws: SSMParameterStore.ReadError.self) {
            try SSMParameterStore(client: Moto.client(.ssm, server: server, credentials: key)).value(of: "/payments/STRIPE_WEBHOOK_SECRET")
        }
        guard case .accessDenied(let parameter, let cause) = error else { Issue.record("\(error)"); return }
        #expect(parameter == "/payments/STRIPE_WEBHOOK_SECRET")
        #expect(cause.status == 403)
        #expect(error.description.hasPrefix("reading SSM parameter /payments/STRIPE_WEBHOOK_SECRET is not allowed (AccessDenied)"))
        #expect(!error.description.contains("whsec_") && !error.description.contains(key.secretAccessKey))
    }
}
