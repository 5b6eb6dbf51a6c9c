/// Batches from a DynamoDB table's stream, answered with a partial batch response (Lambda retries
/// from the first failed record).
public struct DynamoDBStreamTrigger: Trigger, Equatable {
    public init() {}
    public var description: String { "a table's DynamoDB stream" }
}

/// Handles a batch of DynamoDB stream records; failed records are retried from the first of them.
public protocol DynamoDBStreamHandler: FunctionHandler where Event == DynamoDBStreamBatch, Answer == BatchResponse {}

extension DynamoDBStreamBatch: InvocationEvent {
    public init(invocation bytes: [UInt8]) throws { try self.init(event: bytes) }
}
