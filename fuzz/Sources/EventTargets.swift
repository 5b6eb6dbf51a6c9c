#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// The events Lambda hands the functions: API Gateway v2 requests (every route), SQS batches (the
/// consumers, each body an EventBridge envelope, maybe inside an SNS notification) and DynamoDB
/// stream batches (the outbox relay, whose outbox items hold payment or service events).
extension FuzzTarget {
    static let apiGatewayEvent = FuzzTarget(name: "apigateway-event") { bytes in
        guard let request = try? APIGatewayV2Request(event: bytes) else { return }
        _ = request.method
        _ = request.header("Stripe-Signature")
        _ = request.header("paypal-transmission-id")
        let decoded = request.rawBody()
        if request.isBase64Encoded != true { check(decoded == Array((request.body ?? "").utf8), "a plain body was not read as sent") }
        // A body refused as too large before decoding is indeed larger once decoded.
        if let decoded, request.bodyExceeds(16) { check(decoded.count > 16, "a \(decoded.count)-byte body was refused as over 16") }
    }

    static let sqsEvent = FuzzTarget(name: "sqs-event") { bytes in
        guard let batch = try? SQSBatch(event: bytes) else { return }
        for message in batch.records.prefix(16) {
            guard let envelope = try? EventBridgeEnvelope(sqsBody: message.body) else { continue }
            check(!envelope.id.isEmpty && !envelope.source.isEmpty, "an envelope was read without its id or source")
            _ = Timestamp.string(envelope.time)
        }
    }

    static let dynamoDBStream = FuzzTarget(name: "dynamodb-stream") { bytes in
        guard let batch = try? DynamoDBStreamBatch(event: bytes) else { return }
        for record in batch.records.prefix(16) where record.newString("type") == "outbox" {
            // What the outbox relay does with an outbox item's event: read it and pass its detail on verbatim.
            guard let text = record.newString("event"), let event = try? EncodedEvent(json: Array(text.utf8)) else { continue }
            let detail = try? JSONValue(parsing: Array(event.detailJSON))
            check(detail?["eventId"]?.string == event.id, "the detail passed on is not the stored event's own detail")
            _ = try? PaymentEvent(event)
        }
    }
}
