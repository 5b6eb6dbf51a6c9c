import Foundation
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport
import AWSClients

/// Clients on the shared moto server (one per test process), with test credentials and a short retry budget.
enum Moto {
    static let credentials = AWSCredentials(accessKeyID: "AKIDTESTMOTO", secretAccessKey: "moto-test-secret-not-real")

    static func client(_ service: AWSService = .dynamoDB) throws -> AWSJSONClient {
        let server = try MotoServer.shared()
        return AWSJSONClient(service: service, configuration: AWSConfiguration(region: "eu-west-1", credentials: credentials,
                                                                              endpointOverride: server.endpoint),
                             http: CurlHTTPClient(), clock: SystemClock(), retry: AWSRetryPolicy(maxAttempts: 4, baseDelay: 0.02, maxTotalTime: 10))
    }

    static func name(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// A table of its own, made as `payments aws init` makes the consumers' tables.
    static func table(_ prefix: String) throws -> DynamoDBTable {
        let client = try client()
        let name = name(prefix)
        try DynamoDBTableDefinition(tableName: name).create(using: client, pollInterval: 0.1)
        return DynamoDBTable(client: client, name: name)
    }
}

/// An SQS queue as Lambda's event source mapping reads it: receive, hand the batch to the handler as
/// Lambda would (with the queue's ARN and the receive count), delete what the handler did not report failed.
struct MotoQueue {
    let sqs: AWSJSONClient
    let url: String
    let arn: String

    static func create(_ name: String, attributes: [String: String] = [:]) throws -> MotoQueue {
        let sqs = try Moto.client(.sqs)
        var request: [String: JSONValue] = ["QueueName": .string(name)]
        if !attributes.isEmpty { request["Attributes"] = .object(attributes.mapValues(JSONValue.string)) }
        guard let url = try sqs.call("CreateQueue", .object(request))["QueueUrl"]?.string else { throw StoreError("no QueueUrl") }
        let answer = try sqs.call("GetQueueAttributes", .object(["QueueUrl": .string(url), "AttributeNames": .array([.string("QueueArn")])]))
        guard let arn = answer["Attributes"]?["QueueArn"]?.string else { throw StoreError("no QueueArn") }
        return MotoQueue(sqs: sqs, url: url, arn: arn)
    }

    /// One receive, as the event source mapping makes it: the messages as an SQS batch, and their receipt handles.
    func receive(max: Int = 10, wait: Int = 0) throws -> (batch: SQSBatch, handles: [String: String]) {
        let answer = try sqs.call("ReceiveMessage", .object([
            "QueueUrl": .string(url), "MaxNumberOfMessages": .number(String(max)), "WaitTimeSeconds": .number(String(wait)),
            "AttributeNames": .array([.string("All")]), "MessageSystemAttributeNames": .array([.string("All")]),
        ]))
        guard case .array(let messages)? = answer["Messages"] else { return (SQSBatch(records: []), [:]) }
        var records: [SQSBatch.Message] = []
        var handles: [String: String] = [:]
        for message in messages {
            guard let id = message["MessageId"]?.string, let body = message["Body"]?.string, let handle = message["ReceiptHandle"]?.string else { continue }
            var attributes: [String: String] = [:]
            if case .object(let members)? = message["Attributes"] { for (key, value) in members { attributes[key] = value.string } }
            records.append(SQSBatch.Message(messageId: id, body: body, attributes: attributes, eventSourceARN: arn))
            handles[id] = handle
        }
        return (SQSBatch(records: records), handles)
    }

    /// Receives until `count` messages came or `timeout` passed (deliveries through a rule or a topic are asynchronous).
    func receive(expecting count: Int, timeout: Double = 10) throws -> (batch: SQSBatch, handles: [String: String]) {
        var records: [SQSBatch.Message] = []
        var handles: [String: String] = [:]
        let giveUp = Date().addingTimeInterval(timeout)
        while records.count < count, Date() < giveUp {
            let next = try receive()
            records += next.batch.records
            handles.merge(next.handles) { $1 }
            if next.batch.records.isEmpty { usleep(50_000) }
        }
        return (SQSBatch(records: records), handles)
    }

    /// What the event source mapping does with a partial batch response: deletes the records not reported failed.
    func settle(_ batch: SQSBatch, handles: [String: String], response: BatchResponse) throws {
        let failed = Set(response.batchItemFailures.map(\.itemIdentifier))
        for record in batch.records where !failed.contains(record.messageId) {
            _ = try sqs.call("DeleteMessage", .object(["QueueUrl": .string(url), "ReceiptHandle": .string(handles[record.messageId] ?? "")]))
        }
    }

    func send(_ body: String) throws {
        _ = try sqs.call("SendMessage", .object(["QueueUrl": .string(url), "MessageBody": .string(body)]))
    }

    func approximateCount() throws -> Int {
        let answer = try sqs.call("GetQueueAttributes", .object([
            "QueueUrl": .string(url), "AttributeNames": .array([.string("ApproximateNumberOfMessages"), .string("ApproximateNumberOfMessagesNotVisible")]),
        ]))
        return (Int(answer["Attributes"]?["ApproximateNumberOfMessages"]?.string ?? "") ?? 0)
            + (Int(answer["Attributes"]?["ApproximateNumberOfMessagesNotVisible"]?.string ?? "") ?? 0)
    }
}
