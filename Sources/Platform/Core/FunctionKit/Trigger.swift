/// What invokes a function, as its deployment wires it (an API Gateway route, an SQS queue, a table's
/// stream). Each source is one type in `Triggers/`, beside the event shape it delivers: a new source is
/// a new file there, and the runtime needs no change, because the handler's own types say how its
/// event is read and its answer written.
public protocol Trigger: Sendable, CustomStringConvertible {}

/// An event as a function receives it: read from the invocation's bytes in its source's shape. An
/// event of another shape is an error of the invocation (the runtime reports it), not an answer.
public protocol InvocationEvent: Sendable {
    init(invocation bytes: [UInt8]) throws
}

/// What a function answers, as the invocation's response bytes.
public protocol InvocationAnswer: Sendable {
    func invocationBytes() throws -> [UInt8]
}

/// A function's handler: one event of its trigger's shape in, one answer out. Bad input is answered
/// in the answer's own terms (a 4xx, a failed batch item); a thrown error means the function itself
/// failed (its store is unreachable), which the runtime reports so that the caller retries.
public protocol FunctionHandler<Event, Answer>: Sendable {
    associatedtype Event: InvocationEvent
    associatedtype Answer: InvocationAnswer
    func handle(_ event: Event, context: InvocationContext) throws -> Answer
}

/// An error a handler reports with its own `errorType` (an AppSync field's error type), where the
/// runtime would otherwise name the error's Swift type.
public protocol TypedInvocationError: Error {
    var errorType: String { get }
}
