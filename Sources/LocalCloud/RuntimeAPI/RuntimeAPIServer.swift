import HTTPTypes
import Hummingbird

/// The Lambda Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) for one
/// runtime process, on 127.0.0.1 and a port of its own. Status codes and error bodies follow AWS's
/// Runtime Interface Emulator: 202 for an accepted answer, 400 `InvalidRequestID`, 403
/// `InvalidStateTransition`, 413 `RequestEntityTooLarge` above 6 MB.
final class RuntimeAPIServer: Sendable {
    /// Lambda's limit for a synchronous payload, request or response (RIE's `MaxPayloadSize`).
    static let maximumPayloadBytes = 6 * 1024 * 1024

    private let server: LoopbackHTTPServer
    var port: Int { server.port }

    private init(server: LoopbackHTTPServer) {
        self.server = server
    }

    /// Starts serving `endpoint` and returns once the port is bound.
    static func start(endpoint: RuntimeEndpoint) async throws -> RuntimeAPIServer {
        let router = Router()
        let base = "/2018-06-01/runtime"

        router.get("\(base)/invocation/next") { _, _ -> Response in
            guard let invocation = await endpoint.next() else {
                // Only while the emulator stops this runtime: it is about to be killed.
                return errorResponse(.internalServerError, type: "ServiceUnavailable", message: "The runtime is being stopped")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[name("Lambda-Runtime-Aws-Request-Id")] = invocation.requestID
            headers[name("Lambda-Runtime-Deadline-Ms")] = String(invocation.deadlineMilliseconds)
            headers[name("Lambda-Runtime-Invoked-Function-Arn")] = invocation.functionARN
            headers[name("Lambda-Runtime-Trace-Id")] = invocation.traceID
            if let clientContext = invocation.clientContext {
                headers[name("Lambda-Runtime-Client-Context")] = clientContext
            }
            if let cognitoIdentity = invocation.cognitoIdentity {
                headers[name("Lambda-Runtime-Cognito-Identity")] = cognitoIdentity
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: invocation.payload)))
        }

        router.post("\(base)/invocation/:requestID/response") { request, context -> Response in
            let requestID = context.parameters.get("requestID") ?? ""
            guard let body = try await readBody(request) else { return tooLarge() }
            return render(await endpoint.answer(requestID: requestID, with: .response(body)))
        }

        router.post("\(base)/invocation/:requestID/error") { request, context -> Response in
            let requestID = context.parameters.get("requestID") ?? ""
            let errorType = validatedErrorType(request.headers[name("Lambda-Runtime-Function-Error-Type")])
            guard let body = try await readBody(request) else { return tooLarge() }
            return render(await endpoint.answer(requestID: requestID, with: .functionError(body: body, errorType: errorType)))
        }

        router.post("\(base)/init/error") { request, _ -> Response in
            let errorType = validatedErrorType(request.headers[name("Lambda-Runtime-Function-Error-Type")])
            guard let body = try await readBody(request) else { return tooLarge() }
            // Logged by the instance, which fails the pending invocation with it.
            return render(await endpoint.initFailed(body: body, errorType: errorType))
        }

        let server = try await LoopbackHTTPServer.start(router: router, label: "localcloud.runtime-api")
        return RuntimeAPIServer(server: server)
    }

    /// Stops listening. Requests still waiting on `/next` must be released first (`RuntimeEndpoint.close`).
    func stop() async {
        await server.stop()
    }

    private static func name(_ text: String) -> HTTPField.Name { HTTPField.Name(text)! }

    /// The whole body, or nil when it is over the limit. The rest is still read (and dropped) so the
    /// runtime, which sends its whole body before reading the answer, gets the 413 and not a reset.
    private static func readBody(_ request: Request) async throws -> [UInt8]? {
        var bytes: [UInt8] = []
        var total = 0
        for try await chunk in request.body {
            total += chunk.readableBytes
            if total <= maximumPayloadBytes { bytes.append(contentsOf: chunk.readableBytesView) }
        }
        return total <= maximumPayloadBytes ? bytes : nil
    }

    private static func render(_ answer: RuntimeEndpoint.Answer) -> Response {
        switch answer {
        case .accepted:
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .accepted, headers: headers, body: .init(byteBuffer: ByteBuffer(string: #"{"status":"OK"}"#)))
        case .unknownRequest:
            return errorResponse(.badRequest, type: "InvalidRequestID", message: "Invalid request ID")
        case .alreadyAnswered:
            return errorResponse(.forbidden, type: "InvalidStateTransition", message: "State transition is not allowed")
        }
    }

    private static func tooLarge() -> Response {
        errorResponse(.contentTooLarge, type: "RequestEntityTooLarge",
                      message: "Exceeded maximum allowed payload size (\(maximumPayloadBytes) bytes).")
    }

    private static func errorResponse(_ status: HTTPResponse.Status, type: String, message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let body = #"{"errorMessage":"\#(message)","errorType":"\#(type)"}"#
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

