#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// Calls one JSON-protocol AWS service (DynamoDB, DynamoDB Streams, EventBridge, SQS): POSTs the body
/// with its `X-Amz-Target`, signed with SigV4 anew for every attempt, retried on throttling, 5xx and
/// transport errors within the deadline, and answers the parsed JSON or throws an `AWSError`.
///
/// It logs nothing, and no error it throws holds a header: the signed request carries the signature.
public struct AWSJSONClient: Sendable {
    public var service: AWSService
    public var configuration: AWSConfiguration
    public var http: any HTTPClient
    public var clock: any WallClock
    public var retry: AWSRetryPolicy
    /// No attempt starts after this time (the invocation's deadline, less a margin to answer).
    /// When nil, or later than `retry.maxTotalTime` after the first send, that limit applies instead.
    public var deadline: Date?
    /// The serving invocation's deadline, when the client outlives invocations (built once at start).
    package var invocationDeadline: InvocationDeadline?

    public init(service: AWSService, configuration: AWSConfiguration, http: any HTTPClient, clock: any WallClock,
                retry: AWSRetryPolicy = AWSRetryPolicy(), deadline: Date? = nil) {
        self.service = service
        self.configuration = configuration
        self.http = http
        self.clock = clock
        self.retry = retry
        self.deadline = deadline
    }

    /// The same client for another service of the same account and region (DynamoDB and its streams).
    public func forService(_ service: AWSService) -> AWSJSONClient {
        var copy = self
        copy.service = service
        return copy
    }

    public func withDeadline(_ deadline: Date?) -> AWSJSONClient {
        var copy = self
        copy.deadline = deadline
        return copy
    }

    /// Calls `operation` (`GetItem`, `PutEvents`...) with a request built as a `JSONValue`.
    public func call(_ operation: String, _ request: JSONValue) throws(AWSError) -> JSONValue {
        try call(operation, body: JSONWriter.bytes(request))
    }

    public func call(_ operation: String, body: [UInt8]) throws(AWSError) -> JSONValue {
        let target = "\(service.targetPrefix).\(operation)"
        let request = HTTPRequest(
            method: "POST", url: configuration.endpoint(for: service),
            headers: [(name: "Content-Type", value: service.contentType), (name: "X-Amz-Target", value: target)],
            body: body, isIdempotent: true)
        let response = try send(request, operation: target, signingName: service.signingName)
        return try Self.parse(response, operation: target)
    }

    /// One signed exchange, retried as `call` retries, answering the 2xx response as it came. The
    /// services that do not speak the JSON protocol (SNS's query protocol, SES v2's REST API) go through
    /// this, sharing the account, region, retry policy and deadline. `operation` names the call in errors.
    public func send(_ request: HTTPRequest, operation: String, signingName: String) throws(AWSError) -> HTTPResponse {
        let signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: signingName)
        let start = clock.now()
        let limit = start.addingTimeInterval(retry.maxTotalTime)
        let stopAt = (deadline ?? invocationDeadline?.current).map { min($0, limit) } ?? limit
        var attempt = 0
        while true {
            attempt += 1
            let now = clock.now()
            var attemptRequest = request
            attemptRequest.timeout = min(retry.attemptTimeout, max(stopAt.timeIntervalSince(now), 0.05))
            let signed = signer.sign(attemptRequest, at: now)
            var error: AWSError
            do {
                let response = try http.send(signed)
                if (200..<300).contains(response.status) { return response }
                error = AWSError.from(response: response, operation: operation, redacting: secrets(of: signed))
            } catch let transport {
                error = AWSError(operation: operation, status: 0, type: "TransportError",
                                 message: AWSError.safeMessage(String(describing: transport), redacting: secrets(of: signed)))
            }
            error.attempts = attempt
            guard error.isRetryable, attempt < retry.maxAttempts else { throw error }
            let pause = retry.delay(afterAttempt: attempt)
            guard clock.now().addingTimeInterval(pause) < stopAt else { throw error }
            clock.sleep(seconds: pause)
        }
    }

    static func parse(_ response: HTTPResponse, operation: String) throws(AWSError) -> JSONValue {
        guard !response.body.isEmpty else { return .object([:]) }
        do {
            return try JSONValue(parsing: response.body)
        } catch {
            // Seen when a request reaches something that is not the service (an emulator routes it to S3).
            throw AWSError(operation: operation, status: response.status, type: "MalformedResponse",
                           message: "the answer is not JSON: \(error)")
        }
    }

    /// What must never reach an error message: the secret, the session token and the request's signature.
    private func secrets(of request: HTTPRequest) -> [String] {
        var values = [configuration.credentials.secretAccessKey]
        if let token = configuration.credentials.sessionToken { values.append(token) }
        if let authorization = request.headers.first(where: { $0.name == "Authorization" })?.value,
           let range = authorization.firstRange(of: "Signature=") {
            values.append(String(authorization[range.upperBound...]))
        }
        return values
    }
}

extension AWSJSONClient {
    /// A client for `service` from the standard AWS variables, stopping its retries at the serving
    /// invocation's deadline. A missing variable is a configuration error naming it.
    public static func fromEnvironment(_ service: AWSService, environment: [String: String], http: any HTTPClient,
                                       clock: any WallClock, deadline: InvocationDeadline?) throws(ConfigurationError) -> AWSJSONClient {
        let settings: AWSConfiguration
        do {
            settings = try AWSConfiguration.fromEnvironment(environment)
        } catch {
            throw ConfigurationError("\(error.name) is not set (needed for \(service.signingName))")
        }
        try settings.checkEndpoint()
        var client = AWSJSONClient(service: service, configuration: settings, http: http, clock: clock)
        client.invocationDeadline = deadline
        return client
    }
}

extension FunctionDependencies {
    /// A client for `service` from this function's environment, HTTP client, clock and deadline: how
    /// every function builds its AWS clients (`AWSJSONClient.fromEnvironment`).
    public func awsClient(_ service: AWSService) throws(ConfigurationError) -> AWSJSONClient {
        try AWSJSONClient.fromEnvironment(service, environment: environment, http: httpClient, clock: clock, deadline: deadline)
    }
}
