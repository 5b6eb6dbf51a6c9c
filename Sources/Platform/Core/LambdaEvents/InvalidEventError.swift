/// An invocation event that is not of the shape its function's trigger delivers: the invocation
/// fails with this message. It is not an HTTP answer, since no HTTP client is waiting on a malformed
/// event: a misconfigured integration or a hand-written test event is.
public struct InvalidEventError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong with it, naming the field.
    public let reason: String
    /// What the event should have been.
    public let shape: String

    public static let apiGateway = "an API Gateway HTTP API request (payload format 2.0)"

    public init(_ reason: String, shape: String = InvalidEventError.apiGateway) {
        self.reason = reason
        self.shape = shape
    }

    public var description: String { "the event is not \(shape): \(reason)" }
}
