/// Batches from an SQS queue, answered with a partial batch response.
public struct SQSTrigger: Trigger, Equatable {
    /// The queue's name as deployed ("BUS-orders"), or several, comma-separated.
    public var queue: String
    public init(queue: String) { self.queue = queue }
    public var description: String { "SQS queue \(queue)" }
}

/// Handles a batch of SQS messages; the messages it lists as failed are retried (and end in the
/// queue's dead-letter queue after its receive limit), the others are deleted.
public protocol SQSBatchHandler: FunctionHandler where Event == SQSBatch, Answer == BatchResponse {}

extension SQSBatch: InvocationEvent {
    public init(invocation bytes: [UInt8]) throws { try self.init(event: bytes) }
}

extension BatchResponse: InvocationAnswer {
    public func invocationBytes() throws -> [UInt8] { Array(try JSON.encoder.encode(self)) }
}
