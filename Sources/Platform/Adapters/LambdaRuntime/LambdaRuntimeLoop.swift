#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Platform

/// The Lambda Runtime API loop (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
/// next → handler → response or error → after-work → next.
public struct LambdaRuntimeLoop: Sendable {
    /// `host:port` from `AWS_LAMBDA_RUNTIME_API`.
    public var api: String
    public var client: any HTTPClient
    public var logger: Logger

    public init(api: String, client: any HTTPClient, logger: Logger) {
        self.api = api
        self.client = client
        self.logger = logger
    }

    var base: String { "http://\(api)/2018-06-01/runtime" }

    /// An invocation's event bytes and context, as the Runtime API hands them out.
    public struct Invocation: Sendable {
        public var event: [UInt8]
        public var context: InvocationContext
    }

    /// Serves invocations until `limit` have been handled (nil: forever, as in Lambda).
    /// `handler` turns event bytes into response bytes; a thrown error is posted as the invocation's
    /// error and the loop goes on. `afterResponse` runs once the response is posted (outbox drain).
    public func run(
        limit: Int? = nil,
        handler: (Invocation) throws -> [UInt8],
        afterResponse: (InvocationContext) -> Void = { _ in }
    ) throws {
        var served = 0
        while limit.map({ served < $0 }) ?? true {
            let invocation = try next()
            do {
                let response = try handler(invocation)
                try post("invocation/\(invocation.context.requestID)/response", body: response)
            } catch {
                invocation.context.logger.error("invocation failed", ["error": String(describing: error)])
                try post("invocation/\(invocation.context.requestID)/error", body: Self.errorBody(error), errorType: Self.errorType(error))
            }
            afterResponse(invocation.context)
            served += 1
        }
    }

    /// Reports a failure to initialise; Lambda then fails the invocation and restarts the environment.
    public func reportInitError(_ error: any Error) {
        do {
            try post("init/error", body: Self.errorBody(error), errorType: Self.errorType(error))
        } catch {
            logger.error("could not report init error", ["error": String(describing: error)])
        }
    }

    func next() throws -> Invocation {
        let response = try client.send(HTTPRequest(method: "GET", url: "\(base)/invocation/next", timeout: nil))
        guard response.status == 200, let requestID = response.header("lambda-runtime-aws-request-id") else {
            throw HTTPTransportError("Runtime API answered \(response.status) to next invocation")
        }
        let traceID = response.header("lambda-runtime-trace-id")
        if let traceID {
            // The X-Ray SDKs read the trace from the environment, as the managed runtimes set it.
            setenv("_X_AMZN_TRACE_ID", traceID, 1)
        } else {
            unsetenv("_X_AMZN_TRACE_ID")
        }
        let context = InvocationContext(
            requestID: requestID,
            deadlineMilliseconds: response.header("lambda-runtime-deadline-ms").flatMap { Int64($0) },
            invokedFunctionARN: response.header("lambda-runtime-invoked-function-arn"),
            traceID: traceID,
            logger: logger
        )
        return Invocation(event: response.body, context: context)
    }

    func post(_ path: String, body: [UInt8], errorType: String? = nil) throws {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let errorType { headers.append(("Lambda-Runtime-Function-Error-Type", errorType)) }
        let response = try client.send(HTTPRequest(method: "POST", url: "\(base)/\(path)", headers: headers, body: body, timeout: 10))
        guard (200...299).contains(response.status) else {
            throw HTTPTransportError("Runtime API answered \(response.status) to \(path)")
        }
    }

    public static func errorType(_ error: any Error) -> String {
        if let typed = error as? any TypedInvocationError { return typed.errorType }
        return "Runtime.\(String(describing: type(of: error)))"
    }

    public static func errorBody(_ error: any Error) -> [UInt8] {
        struct ErrorBody: Encodable { let errorMessage: String; let errorType: String }
        let body = ErrorBody(errorMessage: String(describing: error), errorType: errorType(error))
        return Array((try? JSONEncoder().encode(body)) ?? Data(#"{"errorMessage":"unencodable error"}"#.utf8))
    }
}
