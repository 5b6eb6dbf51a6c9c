import Foundation
import AWSClients
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport

/// The cold start when the webhook secret is an SSM parameter (`STRIPE_WEBHOOK_SECRET=ssm:NAME`): the
/// same exec → first response as `cold_start_to_first_response_ms`, plus loading libcurl and one signed
/// `GetParameter` with decryption, against moto on loopback (AWS adds its network round trip and KMS).
enum SSMColdStartBenchmarks {
    static func coldStart(bootstrap: String, runs: Int) throws -> Double {
        let moto = try MotoServer()
        defer { moto.stop() }
        let name = "/bench/STRIPE_WEBHOOK_SECRET"
        let credentials = AWSCredentials(accessKeyID: "AKIDBENCHMOTO", secretAccessKey: "bench-secret-not-real")
        let client = AWSJSONClient(service: .ssm, configuration: AWSConfiguration(region: "eu-west-1", credentials: credentials, endpointOverride: moto.endpoint),
                                   http: CurlHTTPClient(), clock: SystemClock())
        _ = try client.call("PutParameter", .object(["Name": .string(name), "Value": .string(Benchmarks.secret), "Type": .string("SecureString"),
                                                     "Overwrite": .bool(true)]))
        // moto loads its SSM backend on first use: not part of a function's start.
        _ = try SSMParameterStore(client: client).value(of: name)
        return try Benchmarks.coldStart(bootstrap: bootstrap, runs: runs, environment: [
            "STRIPE_WEBHOOK_SECRET": "ssm:\(name)", "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey, "AWS_ENDPOINT_URL": moto.endpoint,
        ])
    }
}
