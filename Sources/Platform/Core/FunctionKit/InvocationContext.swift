/// What the runtime tells a handler about the invocation it is serving.
public struct InvocationContext: Sendable {
    public var requestID: String
    /// Milliseconds since the epoch by which the function must answer.
    public var deadlineMilliseconds: Int64?
    public var invokedFunctionARN: String?
    public var traceID: String?
    public var logger: Logger

    public init(requestID: String, deadlineMilliseconds: Int64? = nil, invokedFunctionARN: String? = nil,
                traceID: String? = nil, logger: Logger) {
        self.requestID = requestID
        self.deadlineMilliseconds = deadlineMilliseconds
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.logger = logger.with(requestID: requestID)
    }
}
