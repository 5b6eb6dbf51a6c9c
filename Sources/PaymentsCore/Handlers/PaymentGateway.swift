import Platform

/// A provider's side of taking a payment: the one call that creates the charge at the provider.
public protocol PaymentGateway: Sendable {
    /// Lower-case name used in routes and records: the `{provider}` of `/payments/{provider}`.
    var provider: String { get }

    /// Provider-specific requirements, checked before anything is stored (a nonce, a supported currency).
    func validate(_ request: PaymentRequest) throws(Problem)

    /// Creates the charge. `payment` is already stored as pending; `attempt` counts calls for this
    /// idempotency key, so a provider without idempotency of its own can find an earlier attempt.
    func create(_ payment: Payment, request: PaymentRequest, idempotencyKey: String, attempt: CreateAttempt) throws(GatewayError) -> GatewayPayment
}

extension PaymentGateway {
    public func validate(_ request: PaymentRequest) throws(Problem) {}
}

public enum CreateAttempt: Sendable, Equatable {
    case first
    /// An earlier call with this key got no answer we stored: the provider may have the charge already.
    case resumed
}

/// What the provider answered for a created charge.
public struct GatewayPayment: Sendable, Equatable {
    public var reference: String
    public var progress: PaymentState.Progress
    public var checkout: Payment.Checkout

    public init(reference: String, progress: PaymentState.Progress = .pending, checkout: Payment.Checkout = .init()) {
        self.reference = reference
        self.progress = progress
        self.checkout = checkout
    }
}

/// Why the provider did not create the charge.
public enum GatewayError: Error, Equatable, Sendable {
    /// The provider refused the payment (card declined): final for this payment.
    case declined(code: String, message: String)
    /// The provider refused our request as invalid: final for this payment.
    case rejected(code: String, message: String)
    /// The provider could not be reached or failed (5xx, timeout): the same key may be tried again.
    case unavailable(String)
    /// Our credentials or configuration are wrong (401/403): an operator must act.
    case misconfigured(String)
}
