/// One invocation as the Runtime API hands it to a runtime on `/invocation/next`.
struct RuntimeInvocation: Sendable {
    var requestID: String
    var payload: [UInt8]
    /// The function's timeout: the deadline is this long after the runtime fetches the invocation.
    var timeoutSeconds: Int
    /// Milliseconds since the epoch after which Lambda would kill the runtime (`Lambda-Runtime-Deadline-Ms`),
    /// set when the runtime fetches the invocation.
    var deadlineMilliseconds: Int64 = 0
    var functionARN: String
    var traceID: String
    var clientContext: String?
    var cognitoIdentity: String?
}

/// How the runtime (or its process) ended one invocation, before the pool turns it into an `InvokeResult`.
enum RuntimeOutcome: Sendable {
    case response([UInt8])
    /// `/invocation/{id}/error`: body and the validated `Lambda-Runtime-Function-Error-Type`.
    case functionError(body: [UInt8], errorType: String)
    /// `/init/error`: the runtime could not start; body and validated error type.
    case initError(body: [UInt8], errorType: String)
    /// The process ended while the invocation was pending or running.
    case exited(ProcessExit)
    case timedOut
    /// The pool is shutting down.
    case shutDown
}

/// Lambda keeps a runtime's error type only if it looks like `Runtime.X` or `Function.X`
/// (RIE: `GetValidRuntimeOrFunctionErrorType`, an unanchored match); anything else becomes
/// `Function.Unknown` or `Runtime.Unknown`.
func validatedErrorType(_ header: String?) -> String {
    let value = header ?? ""
    for prefix in ["Runtime.", "Function."] {
        var search = value[...]
        while let range = search.range(of: prefix) {
            let rest = search[range.upperBound...]
            if let first = rest.first, first.isASCII, first.isUppercase,
               let second = rest.dropFirst().first, second.isASCII, second.isLetter {
                return value
            }
            search = rest
        }
    }
    return value.hasPrefix("Function.") ? "Function.Unknown" : "Runtime.Unknown"
}
