import Foundation
import HTTPTypes
import Hummingbird

/// Lambda's Invoke API as AWS's Runtime Interface Emulator serves it:
/// `POST /2015-03-31/functions/{name}/invocations` (RIE answers for any name; so does this), the body
/// is the event, `X-Amz-Client-Context` (base64) and `X-Amzn-Trace-Id` are passed to the runtime.
///
/// Answers, as `InvokeResult` maps onto them:
/// - response: 200 with the runtime's bytes;
/// - function error: 200 with the runtime's error body and `X-Amz-Function-Error: Unhandled`
///   (RIE leaves that header out; Lambda's Invoke API and the AWS SDKs rely on it);
/// - timeout: 200 with `X-Amz-Function-Error: Unhandled` and Lambda's body,
///   `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: … Error: Task timed out after N.00 seconds"}`
///   (RIE sends only the bare text `Task timed out after N.00 seconds`);
/// - runtime failure (crash, exit, failed init): 502 `{"errorType":"Runtime.ExitError","errorMessage":…}`, as RIE.
package enum InvokeAPIServer {
    public static func start(invoker: any FunctionInvoker, function: String, port: Int) async throws -> LoopbackHTTPServer {
        let router = Router()
        router.post("/2015-03-31/functions/:name/invocations") { request, _ -> Response in
            var payload: [UInt8] = []
            var total = 0
            for try await chunk in request.body {
                total += chunk.readableBytes
                if total <= RuntimeAPIServer.maximumPayloadBytes { payload.append(contentsOf: chunk.readableBytesView) }
            }
            guard total <= RuntimeAPIServer.maximumPayloadBytes else {
                return json(.contentTooLarge, errorType: "RequestEntityTooLarge",
                            message: "Request must be smaller than \(RuntimeAPIServer.maximumPayloadBytes) bytes for the InvokeFunction operation")
            }
            let clientContext = request.headers[HTTPField.Name("X-Amz-Client-Context")!].flatMap { $0.isEmpty ? nil : $0 }
            if let clientContext, Data(base64Encoded: clientContext) == nil {
                return json(.badRequest, errorType: "InvalidRequestContentException",
                            message: "Client context must be a valid Base64-encoded JSON object.")
            }
            let requestID = UUID().uuidString.lowercased()
            let invocation = InvokeRequest(
                payload: payload,
                requestID: requestID,
                clientContext: clientContext,
                traceID: request.headers[HTTPField.Name("X-Amzn-Trace-Id")!]
            )
            let result = await invoker.invoke(function: function, invocation)
            var response = render(result, requestID: requestID)
            response.headers[HTTPField.Name("X-Amzn-RequestId")!] = requestID
            response.headers[HTTPField.Name("X-Amz-Executed-Version")!] = "$LATEST"
            return response
        }
        return try await LoopbackHTTPServer.start(router: router, port: port, label: "localcloud.invoke-api")
    }

    /// The HTTP answer for one invocation's result (see the type's comment).
    package static func render(_ result: InvokeResult, requestID: String) -> Response {
        switch result {
        case .response(let body):
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        case .functionError(let body, _):
            var response = Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            response.headers[HTTPField.Name("X-Amz-Function-Error")!] = "Unhandled"
            return response
        case .timedOut(let seconds):
            var response = json(.ok, errorType: "Sandbox.Timedout",
                                message: "RequestId: \(requestID) Error: Task timed out after \(String(format: "%.2f", seconds)) seconds")
            response.headers[HTTPField.Name("X-Amz-Function-Error")!] = "Unhandled"
            return response
        case .runtimeFailed(let errorType, let message):
            return json(.badGateway, errorType: errorType, message: message)
        }
    }

    private static func json(_ status: HTTPResponse.Status, errorType: String, message: String) -> Response {
        let object = ["errorType": errorType, "errorMessage": message]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
