import Foundation
import PaymentsCore
import Platform
@testable import AWSClients

/// An SQS queue as a test reads it (SQS's JSON protocol, through AWSJSONClient): what a consumer's
/// event source mapping would receive, without Lambda.
struct SQSTestQueue {
    struct Message {
        var body: String
        var receiptHandle: String
    }

    let client: AWSJSONClient
    let url: String

    static func create(named name: String, client: AWSJSONClient) throws -> SQSTestQueue {
        let answer = try client.call("CreateQueue", .object(["QueueName": .s(name)]))
        guard let url = answer["QueueUrl"]?.string else { throw StoreError("CreateQueue gave no QueueUrl") }
        return SQSTestQueue(client: client, url: url)
    }

    func arn() throws -> String {
        let answer = try client.call("GetQueueAttributes", .object(["QueueUrl": .s(url), "AttributeNames": .array([.s("QueueArn")])]))
        guard let arn = answer["Attributes"]?["QueueArn"]?.string else { throw StoreError("no QueueArn") }
        return arn
    }

    func receive(max: Int = 10, waitSeconds: Int = 0) throws -> [Message] {
        let answer = try client.call("ReceiveMessage", .object([
            "QueueUrl": .s(url), "MaxNumberOfMessages": .integer(max), "WaitTimeSeconds": .integer(waitSeconds),
        ]))
        guard case .array(let messages)? = answer["Messages"] else { return [] }
        return messages.compactMap { message in
            guard let body = message["Body"]?.string, let handle = message["ReceiptHandle"]?.string else { return nil }
            return Message(body: body, receiptHandle: handle)
        }
    }

    func delete(_ message: Message) throws {
        _ = try client.call("DeleteMessage", .object(["QueueUrl": .s(url), "ReceiptHandle": .s(message.receiptHandle)]))
    }

    /// Receives and deletes until `count` messages arrived or `timeout` seconds passed.
    func drain(expecting count: Int, timeout: Double = 10) throws -> [Message] {
        var received: [Message] = []
        let giveUp = Date().addingTimeInterval(timeout)
        while received.count < count, Date() < giveUp {
            let batch = try receive()
            for message in batch { try delete(message) }
            received += batch
            if batch.isEmpty { usleep(50_000) }
        }
        return received
    }
}
