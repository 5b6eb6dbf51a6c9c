/// An SQS event as Lambda delivers it (`{"Records":[{"messageId","receiptHandle","body","attributes",…}]}`).
public struct SQSBatch: Sendable, Equatable {
    public struct Message: Sendable, Equatable {
        public var messageId: String
        public var body: String
        /// `ApproximateReceiveCount` and the like, as strings.
        public var attributes: [String: String]
        public var eventSourceARN: String?

        public init(messageId: String, body: String, attributes: [String: String] = [:], eventSourceARN: String? = nil) {
            self.messageId = messageId
            self.body = body
            self.attributes = attributes
            self.eventSourceARN = eventSourceARN
        }
    }

    public var records: [Message]

    public init(records: [Message]) { self.records = records }

    /// Reads the event strictly; a record without `messageId` or `body` makes the whole event invalid,
    /// since there would be no way to report it as failed.
    public init(event bytes: [UInt8]) throws(InvalidEventError) {
        let records = try EventRecords.read(bytes, shape: "an SQS batch")
        self.records = try records.map { (record) throws(InvalidEventError) -> Message in
            guard let id = record["messageId"]?.string else { throw InvalidEventError("an SQS record has no 'messageId'", shape: "an SQS batch") }
            guard let body = record["body"]?.string else { throw InvalidEventError("SQS message \(id) has no 'body'", shape: "an SQS batch") }
            var attributes: [String: String] = [:]
            if case .object(let members)? = record["attributes"] {
                for (key, value) in members { if let text = value.string { attributes[key] = text } }
            }
            return Message(messageId: id, body: body, attributes: attributes, eventSourceARN: record["eventSourceARN"]?.string)
        }
    }
}

/// The `Records` array shared by SQS and DynamoDB stream events.
enum EventRecords {
    static func read(_ bytes: [UInt8], shape: String) throws(InvalidEventError) -> [JSONValue] {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw InvalidEventError("the event is not valid JSON: \(error.description)", shape: shape)
        }
        guard case .array(let records)? = document["Records"] else {
            throw InvalidEventError("it has no 'Records' array", shape: shape)
        }
        return records
    }
}

extension SQSBatch {
    /// Runs `process` on each message on its own and answers the partial batch response: a message
    /// that fails is reported alone (retried; an `UnreadableRecord` after the queue's retries lands in
    /// its dead-letter queue) and never holds back the messages behind it. Log lines name the message,
    /// never its body, which may hold the customer's contact.
    public func processEach(logger: Logger, _ process: (Message) throws -> Void) -> BatchResponse {
        var failed: [String] = []
        for message in records {
            do {
                try process(message)
            } catch let unreadable as UnreadableRecord {
                logger.error("unreadable record; it goes to the dead-letter queue after the queue's retries", [
                    "messageId": message.messageId, "reason": unreadable.reason,
                    "receiveCount": message.attributes["ApproximateReceiveCount"] ?? "",
                ])
                failed.append(message.messageId)
            } catch {
                logger.warning("record failed; it is retried", ["messageId": message.messageId, "error": String(describing: error)])
                failed.append(message.messageId)
            }
        }
        return BatchResponse(failedItems: failed)
    }
}
