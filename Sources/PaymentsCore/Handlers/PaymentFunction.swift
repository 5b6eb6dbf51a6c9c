#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// The `{provider}-payment` function: `POST /payments/{provider}` and `GET /payments/{id}`.
///
/// The payment is stored as pending under its idempotency key before the provider is called, so a
/// webhook always finds it and a repeated key never reaches the provider twice.
public struct PaymentFunction: RequestHandler {
    public var gateway: any PaymentGateway
    public var store: any PaymentStore
    public var clock: any WallClock
    /// How long an attempt without an answer is presumed still in flight (the provider call's timeout
    /// and retries fit well inside it). A repeat of the request within it gets 409, not a second call.
    package var attemptLease: Double = 90

    public init(gateway: any PaymentGateway, store: any PaymentStore, clock: any WallClock) {
        self.gateway = gateway
        self.store = store
        self.clock = clock
    }

    public func handle(_ request: APIGatewayV2Request, context: InvocationContext) throws -> APIGatewayV2Response {
        guard !request.bodyExceeds(PaymentRequest.maximumBodyBytes) else {
            let problem = Problem.bodyTooLarge(limit: PaymentRequest.maximumBodyBytes, what: "Request bodies on /payments")
            context.logger.warning("payment refused", ["problem": problem.type, "status": String(problem.status)])
            return problem.response
        }
        let segments = request.rawPath.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.count == 2, segments[0] == "payments" else {
            return Problem(status: 404, slug: "not-found", title: "Not found", detail: "No route for \(request.rawPath).").response
        }
        switch request.method {
        case "POST" where segments[1] == gateway.provider:
            do {
                return try create(request, context: context)
            } catch let problem as Problem {
                context.logger.warning("payment refused", ["problem": problem.type, "status": String(problem.status)])
                return problem.response
            }
        case "GET":
            return try show(id: String(segments[1]))
        case "POST":
            return Problem(status: 404, slug: "unknown-provider", title: "Not found",
                           detail: "This function takes payments for '\(gateway.provider)', not '\(segments[1])'.").response
        default:
            return Problem(status: 405, slug: "method-not-allowed", title: "Method not allowed",
                           detail: "Use POST /payments/\(gateway.provider) or GET /payments/{id}.").response
        }
    }

    func show(id: String) throws -> APIGatewayV2Response {
        guard let payment = try store.payment(id: id) else {
            return Problem(status: 404, slug: "payment-not-found", title: "Not found", detail: "No payment with id '\(id)'.").response
        }
        return .json(200, ShownPayment(payment))
    }

    func create(_ request: APIGatewayV2Request, context: InvocationContext) throws -> APIGatewayV2Response {
        guard let key = request.header("Idempotency-Key") else {
            throw Problem.badRequest("missing-idempotency-key", "Send an Idempotency-Key header (for example a UUID) so that a retried request cannot charge twice.")
        }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
            throw Problem.badRequest("invalid-idempotency-key", "The Idempotency-Key header must be 1 to 255 visible ASCII characters.")
        }
        // The key is stored with the payment: it must not be a card number either.
        guard !CardData.containsCardNumber(key) else { throw Problem.cardDataRefused(in: "the Idempotency-Key header") }
        guard let body = request.rawBody() else { throw Problem.badRequest("invalid-base64", "The body is marked base64 but is not valid base64.") }
        let paymentRequest = try PaymentRequest.parse(body)
        try gateway.validate(paymentRequest)

        let now = clock.now()
        let candidate = Payment(
            id: Identifiers.make(prefix: "pay"), orderID: paymentRequest.orderID, provider: gateway.provider,
            amount: paymentRequest.amount, customerEmail: paymentRequest.customerEmail, customerPhone: paymentRequest.customerPhone,
            description: paymentRequest.description, attemptStartedAt: now, createdAt: now
        )
        let attempt: CreateAttempt
        var payment: Payment
        switch try store.create(candidate, idempotencyKey: key, requestFingerprint: paymentRequest.fingerprint) {
        case .created(let stored):
            payment = stored
            attempt = .first
        case .existing(let stored, let fingerprint):
            guard fingerprint == paymentRequest.fingerprint else {
                // Not the stored payment's id: whoever reuses a key (or guesses one) learns nothing of another payment.
                throw Problem.unprocessable("idempotency-key-reused", "This Idempotency-Key was used with a different request body; use a new key for a new payment.")
            }
            if let failure = stored.failure { throw Self.problem(for: failure, paymentID: stored.id) }
            if stored.providerReference != nil {
                context.logger.info("idempotent replay", ["paymentId": stored.id])
                return Self.created(stored, replayed: true)
            }
            payment = try claimResumedAttempt(stored)
            attempt = .resumed
        }

        context.logger.info("creating payment at provider", ["paymentId": payment.id, "provider": gateway.provider])
        do {
            let answer = try gateway.create(payment, request: paymentRequest, idempotencyKey: key, attempt: attempt)
            payment = try record(answer, for: payment)
            return Self.created(payment, replayed: false)
        } catch let error as GatewayError {
            return try handleFailure(error, payment: payment, context: context)
        }
    }

    /// Takes over an attempt that never got an answer stored: the first call died, or is still running.
    /// While it may still be running (within the lease) a repeat is told to wait, so that a provider
    /// without idempotency of its own is never called twice at once. The claim is a conditional update,
    /// so of two repeats racing only one proceeds.
    func claimResumedAttempt(_ stored: Payment) throws -> Payment {
        let now = clock.now()
        if let started = stored.attemptStartedAt, now.timeIntervalSince(started) < attemptLease {
            let wait = max(1, Int((attemptLease - now.timeIntervalSince(started)).rounded(.up)))
            throw Problem(status: 409, slug: "payment-in-progress", title: "Payment in progress",
                          detail: "An earlier request with this Idempotency-Key is still waiting for \(gateway.provider); retry in \(wait) s with the same key.",
                          paymentId: stored.id)
        }
        let claimed = stored.revised(at: now) { $0.attemptStartedAt = now }
        guard try store.update(claimed, expectedVersion: stored.version, events: []) else {
            throw Problem(status: 409, slug: "payment-in-progress", title: "Payment in progress",
                          detail: "Another request with this Idempotency-Key is being handled; retry shortly with the same key.",
                          paymentId: stored.id)
        }
        return claimed
    }

    /// Ends an attempt that got no answer, so that the shop's retry with the same key may call again at once.
    /// Best effort: if a webhook changed the payment meanwhile, the lease simply runs out.
    func releaseAttempt(_ payment: Payment) throws {
        let released = payment.revised(at: clock.now()) { $0.attemptStartedAt = nil }
        _ = try store.update(released, expectedVersion: payment.version, events: [])
    }

    /// Stores the provider's answer with the PaymentPending event (or the status the provider reported).
    /// A webhook may have moved the payment meanwhile, so the answer is joined to whatever is stored.
    func record(_ answer: GatewayPayment, for payment: Payment) throws -> Payment {
        let stored = try store.update(payment) { current in
            let previous = Self.announcedStatus(of: current)
            let next = current.revised(at: clock.now()) {
                $0.providerReference = $0.providerReference ?? answer.reference
                $0.checkout = answer.checkout
                $0.attemptStartedAt = nil
                $0.state = current.state.joined(with: PaymentState(progress: answer.progress))
            }
            let events = previous == nil || next.status != previous ? [PaymentEvent(transition: next, from: previous, at: next.updatedAt)] : []
            return (next, events)
        }
        guard let stored else { throw StoreError("payment \(payment.id): the provider's answer was not stored") }
        return stored
    }

    func handleFailure(_ error: GatewayError, payment: Payment, context: InvocationContext) throws -> APIGatewayV2Response {
        let failure: Payment.Failure
        switch error {
        case .declined(let code, let message): failure = .init(kind: .declined, code: code, message: message)
        case .rejected(let code, let message): failure = .init(kind: .rejected, code: code, message: message)
        case .unavailable(let reason):
            context.logger.error("provider unavailable", ["paymentId": payment.id, "reason": reason])
            try releaseAttempt(payment)
            return Problem(status: 502, slug: "provider-unavailable", title: "Provider unavailable",
                           detail: "\(gateway.provider) could not be reached or failed (\(reason)). Retry with the same Idempotency-Key.",
                           paymentId: payment.id).response
        case .misconfigured(let reason):
            context.logger.error("provider refused our credentials", ["paymentId": payment.id, "reason": reason])
            try releaseAttempt(payment)
            return Problem(status: 502, slug: "provider-misconfigured", title: "Provider misconfigured",
                           detail: "\(gateway.provider) refused this service's credentials or configuration; an operator must fix it. Retry with the same Idempotency-Key afterwards.",
                           paymentId: payment.id).response
        }
        let failed = payment.revised(at: clock.now()) {
            $0.failure = failure
            $0.attemptStartedAt = nil
            $0.state = payment.state.joined(with: PaymentState(progress: .failed))
        }
        let event = PaymentEvent(transition: failed, from: Self.announcedStatus(of: payment), at: failed.updatedAt)
        if try !store.update(failed, expectedVersion: payment.version, events: [event]) {
            context.logger.warning("payment changed while its failure was recorded", ["paymentId": payment.id])
        }
        context.logger.info("provider refused payment", ["paymentId": payment.id, "code": failure.code])
        throw Self.problem(for: failure, paymentID: payment.id)
    }

    /// The status consumers last heard of; nil while the payment has not been announced at all: no
    /// provider answer, no failure, and no webhook has moved it since it was stored before the call.
    static func announcedStatus(of payment: Payment) -> PaymentStatus? {
        let announced = payment.providerReference != nil || payment.failure != nil || payment.state != PaymentState()
        return announced ? payment.status : nil
    }

    static func problem(for failure: Payment.Failure, paymentID: String) -> Problem {
        switch failure.kind {
        case .declined:
            Problem(status: 402, slug: "payment-declined", title: "Payment declined", detail: "\(failure.message) (\(failure.code))", paymentId: paymentID)
        case .rejected:
            Problem(status: 422, slug: "provider-rejected", title: "Provider rejected the request", detail: "\(failure.message) (\(failure.code))", paymentId: paymentID)
        }
    }

    static func created(_ payment: Payment, replayed: Bool) -> APIGatewayV2Response {
        .json(201, CreatedPayment(payment), headers: replayed ? ["idempotent-replayed": "true"] : [:])
    }
}

/// The answer to a created payment.
package struct CreatedPayment: Codable, Sendable, Equatable {
    public var paymentId: String
    public var orderId: String
    public var provider: String
    public var providerReference: String?
    public var status: PaymentStatus
    public var amount: Int
    public var currency: String
    public var clientSecret: String?
    public var approvalUrl: String?

    public init(_ payment: Payment) {
        paymentId = payment.id
        orderId = payment.orderID
        provider = payment.provider
        providerReference = payment.providerReference
        status = payment.status
        amount = payment.amount.minorUnits
        currency = payment.amount.currency.code
        clientSecret = payment.checkout.clientSecret
        approvalUrl = payment.checkout.approvalURL
    }
}
