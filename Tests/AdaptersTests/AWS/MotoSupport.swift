import Foundation
import Synchronization
import PaymentsCore
import Platform
import PaymentsStores
import CurlHTTP
import TestSupport
@testable import AWSClients

/// Clients and stores pointed at a moto server, with test credentials (moto checks no signature
/// unless told to) and a short retry budget so that a broken test fails fast.
enum Moto {
    static let region = "eu-west-1"
    static let credentials = AWSCredentials(accessKeyID: "AKIDTESTMOTO", secretAccessKey: "moto-test-secret-not-real")

    static func configuration(_ server: MotoServer, credentials: AWSCredentials = credentials) -> AWSConfiguration {
        AWSConfiguration(region: region, credentials: credentials, endpointOverride: server.endpoint)
    }

    static func client(_ service: AWSService, server: MotoServer, http: any HTTPClient = CurlHTTPClient(),
                       credentials: AWSCredentials = credentials) -> AWSJSONClient {
        AWSJSONClient(service: service, configuration: configuration(server, credentials: credentials), http: http,
                      clock: SystemClock(), retry: AWSRetryPolicy(maxAttempts: 4, baseDelay: 0.02, maxTotalTime: 10))
    }

    /// A table of its own for one test, made as `payments aws init` will make it.
    static func freshStore(server: MotoServer, http: any HTTPClient = CurlHTTPClient()) throws -> DynamoDBPaymentStore {
        let name = "payments-\(UUID().uuidString.prefix(8).lowercased())"
        let client = client(.dynamoDB, server: server, http: http)
        try DynamoDBTableDefinition(tableName: name).create(using: client, pollInterval: 0.1)
        return DynamoDBPaymentStore(client: client, tableName: name)
    }

    static func uniqueName(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }
}
