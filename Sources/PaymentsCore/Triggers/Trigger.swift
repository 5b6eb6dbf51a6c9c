/// What invokes a function, as its deployment wires it. One entry point serves them all: the
/// runtime reads the event in the trigger's shape and hands it to the matching handler.
public enum Trigger: Sendable, Equatable {
    /// API Gateway HTTP API routes (payload format 2.0), as route keys: "POST /payments/{provider}".
    case http(routes: [String])
    /// Batches from an SQS queue, answered with a partial batch response.
    case sqs(queue: String)
    /// Batches from the store's DynamoDB stream, answered with a partial batch response.
    case dynamoDBStream
    /// An EventBridge schedule ("rate(5 minutes)", "cron(...)").
    case schedule(expression: String)

    public var routes: [String] {
        if case .http(let routes) = self { return routes }
        return []
    }
}

extension Trigger: CustomStringConvertible {
    public var description: String {
        switch self {
        case .http(let routes): routes.joined(separator: ", ")
        case .sqs(let queue): "SQS queue \(queue)"
        case .dynamoDBStream: "the store's DynamoDB stream"
        case .schedule(let expression): "schedule \(expression)"
        }
    }
}

/// A function's handler, of the kind its trigger calls for.
public enum FunctionHandler: Sendable {
    case http(any RequestHandler)
    case sqs(any SQSBatchHandler)
    case dynamoDBStream(any DynamoDBStreamHandler)
    case schedule(any ScheduledHandler)
}

/// Handles a batch of SQS messages; the messages it lists as failed are retried (and end in the
/// queue's dead-letter queue after its receive limit), the others are deleted.
public protocol SQSBatchHandler: Sendable {
    func handle(_ batch: SQSBatch, context: InvocationContext) throws -> BatchResponse

    /// Work left for after the answer, before the next batch: publishing the service's own outbox
    /// where its store has no stream (SQLite). Nothing by default.
    func afterResponse(logger: Logger)
}

extension SQSBatchHandler {
    public func afterResponse(logger: Logger) {}
}

/// Handles a batch of DynamoDB stream records; failed records are retried from the first of them.
public protocol DynamoDBStreamHandler: Sendable {
    func handle(_ batch: DynamoDBStreamBatch, context: InvocationContext) throws -> BatchResponse
}

/// Handles one scheduled invocation.
public protocol ScheduledHandler: Sendable {
    func handle(_ event: ScheduledEvent, context: InvocationContext) throws
}

extension FunctionHandler {
    /// Serves an HTTP request, for an HTTP function; any other kind fails the invocation.
    public func handle(_ request: APIGatewayV2Request, context: InvocationContext) throws -> APIGatewayV2Response {
        guard case .http(let handler) = self else {
            throw InvalidEventError("this function is not triggered by API Gateway", shape: "the event this function's trigger delivers")
        }
        return try handler.handle(request, context: context)
    }
}
