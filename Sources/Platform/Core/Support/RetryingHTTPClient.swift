/// Retries idempotent requests on 429, 5xx and transport errors, with capped exponential backoff.
/// Non-idempotent requests go out exactly once: sending a charge twice is worse than an error.
public struct RetryingHTTPClient: HTTPClient {
    public var base: any HTTPClient
    public var clock: any WallClock
    public var maxAttempts: Int
    public var initialBackoff: Double
    public var maxBackoff: Double

    public init(base: any HTTPClient, clock: any WallClock, maxAttempts: Int = 3, initialBackoff: Double = 0.2, maxBackoff: Double = 2) {
        self.base = base
        self.clock = clock
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let attempts = request.isIdempotent ? maxAttempts : 1
        var backoff = initialBackoff
        for attempt in 1...attempts {
            let isLast = attempt == attempts
            do {
                let response = try base.send(request)
                guard !isLast, Self.isRetryable(status: response.status) else { return response }
                clock.sleep(seconds: Self.delay(response: response, backoff: backoff, cap: maxBackoff))
            } catch let error as HTTPTransportError {
                if isLast { throw error }
                clock.sleep(seconds: backoff)
            }
            backoff = min(backoff * 2, maxBackoff)
        }
        preconditionFailure("the loop returns or throws on its last attempt")
    }

    static func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) }

    /// Honours a short Retry-After in seconds; a longer one is capped, since a Lambda has a deadline.
    static func delay(response: HTTPResponse, backoff: Double, cap: Double) -> Double {
        if let value = response.header("retry-after"), let seconds = Double(value), seconds >= 0 {
            return min(seconds, cap)
        }
        return backoff
    }
}
