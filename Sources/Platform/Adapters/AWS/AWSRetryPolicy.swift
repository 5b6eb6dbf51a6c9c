import Platform

/// How an AWS call is retried: exponential backoff with full jitter (a pause drawn uniformly between
/// zero and the capped exponential), as AWS recommends, so that clients throttled together do not
/// come back together. Retries also stop at a deadline: a Lambda invocation has one.
public struct AWSRetryPolicy: Sendable {
    /// Sends of one request, the first included.
    public var maxAttempts: Int
    /// The ceiling of the first pause; it doubles with every attempt, up to `maxDelay`.
    public var baseDelay: Double
    public var maxDelay: Double
    /// Seconds from the first send after which no new attempt starts, when the caller gave no earlier deadline.
    public var maxTotalTime: Double
    /// Seconds one HTTP exchange may take (less when the deadline is nearer).
    public var attemptTimeout: Double
    /// Uniform in [0, 1). Passed in so that tests can fix the pauses.
    public var random: @Sendable () -> Double

    public init(maxAttempts: Int = 8, baseDelay: Double = 0.05, maxDelay: Double = 2, maxTotalTime: Double = 10,
                attemptTimeout: Double = 5, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotalTime = maxTotalTime
        self.attemptTimeout = attemptTimeout
        self.random = random
    }

    /// The pause before attempt `attempt + 1`.
    public func delay(afterAttempt attempt: Int) -> Double {
        var ceiling = baseDelay
        for _ in 1..<max(1, attempt) where ceiling < maxDelay { ceiling *= 2 }
        return min(max(random(), 0), 1) * min(ceiling, maxDelay)
    }
}
