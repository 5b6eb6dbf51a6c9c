/// The seam between whatever receives work locally (the API Gateway emulator, the local bus, the
/// Runtime-Interface-Emulator endpoint) and whatever runs a function (the Lambda Runtime API emulator
/// with the real binaries as child processes, or an in-process runtime in tests).
public protocol FunctionInvoker: Sendable {
    /// Runs one invocation of `function` and reports what Lambda's Invoke API would.
    func invoke(function: String, _ request: InvokeRequest) async -> InvokeResult

    /// Makes `function` ready to run, throwing when it cannot start (the local bus then leaves its
    /// consumer's events waiting rather than counting failed receives). Invokers that start a
    /// function on its first invocation anyway need do nothing.
    func prepare(function: String) async throws
}

extension FunctionInvoker {
    public func prepare(function: String) async throws {}
}

/// One invocation as an invoker receives it.
public struct InvokeRequest: Sendable {
    public var payload: [UInt8]
    public var requestID: String
    /// `X-Amz-Client-Context`, base64 of a JSON object, passed on decoded (the JSON itself) as
    /// `Lambda-Runtime-Client-Context`, as Lambda and RIE do.
    public var clientContext: String?
    /// `X-Amzn-Trace-Id`, passed on as `Lambda-Runtime-Trace-Id`.
    public var traceID: String?
    /// The caller's Cognito identity (JSON), passed on as `Lambda-Runtime-Cognito-Identity` (mobile SDK
    /// callers only; nothing in this repository sends one).
    public var cognitoIdentity: String?

    public init(payload: [UInt8], requestID: String, clientContext: String? = nil, traceID: String? = nil, cognitoIdentity: String? = nil) {
        self.payload = payload
        self.requestID = requestID
        self.clientContext = clientContext
        self.traceID = traceID
        self.cognitoIdentity = cognitoIdentity
    }
}

/// How an invocation ended, in Lambda's terms.
public enum InvokeResult: Sendable, Equatable {
    /// The runtime posted `/response` with this payload.
    case response([UInt8])
    /// The runtime posted `/error`: its body (`{"errorMessage","errorType",...}`) and the
    /// `Lambda-Runtime-Function-Error-Type` header, if it sent one.
    case functionError(body: [UInt8], errorType: String?)
    /// The invocation ran past the function's timeout; the runtime was killed.
    case timedOut(seconds: Double)
    /// The runtime process exited (or crashed) before answering, or failed its init (`/init/error`).
    case runtimeFailed(errorType: String, message: String)
}
