#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// One payment as this service stores it. Its status is derived from `state`.
public struct Payment: Hashable, Sendable {
    public var id: String
    public var orderID: String
    /// Lower-case provider name, as in the routes: `/payments/{provider}`.
    public var provider: String
    /// The provider's id for the charge (PaymentIntent, Order, Transaction); nil until the provider answered.
    public var providerReference: String?
    public var amount: Money
    public var state: PaymentState
    public var customerEmail: String?
    /// E.164, for SMS notifications.
    public var customerPhone: String?
    public var description: String?
    /// What the shop's front end needs to finish the payment (a client secret, an approval link).
    public var checkout: Checkout
    /// Why the provider refused the payment when it was created, if it did.
    public var failure: Failure?
    /// Set while a call to the provider to create the charge may be running; cleared by its outcome.
    /// A repeat of the request meanwhile waits instead of calling the provider a second time.
    public var attemptStartedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    /// Incremented by every stored change; updates are conditional on it.
    public var version: Int

    public struct Checkout: Hashable, Sendable, Codable {
        public var clientSecret: String?
        public var approvalURL: String?
        public init(clientSecret: String? = nil, approvalURL: String? = nil) {
            self.clientSecret = clientSecret
            self.approvalURL = approvalURL
        }
    }

    public struct Failure: Hashable, Sendable, Codable {
        public enum Kind: String, Sendable, Codable { case declined, rejected }
        public var kind: Kind
        public var code: String
        public var message: String
        public init(kind: Kind, code: String, message: String) {
            self.kind = kind
            self.code = code
            self.message = message
        }
    }

    public init(
        id: String, orderID: String, provider: String, providerReference: String? = nil, amount: Money,
        state: PaymentState = PaymentState(), customerEmail: String? = nil, customerPhone: String? = nil, description: String? = nil,
        checkout: Checkout = Checkout(), failure: Failure? = nil, attemptStartedAt: Date? = nil,
        createdAt: Date, updatedAt: Date? = nil, version: Int = 1
    ) {
        self.id = id
        self.orderID = orderID
        self.provider = provider
        self.providerReference = providerReference
        self.amount = amount
        self.state = state
        self.customerEmail = customerEmail
        self.customerPhone = customerPhone
        self.description = description
        self.checkout = checkout
        self.failure = failure
        self.attemptStartedAt = attemptStartedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.version = version
    }

    public var status: PaymentStatus { state.status(amount: amount.minorUnits) }
}

extension Payment {
    /// The change a fact makes: the updated payment and the one event announcing it,
    /// or nil when the fact adds nothing (a duplicate, or a late notification of an earlier step).
    public func applying(_ fact: PaymentFact, at time: Date) -> (payment: Payment, event: PaymentEvent)? {
        applying(state: fact.impliedState, at: time)
    }

    public func applying(state newState: PaymentState, at time: Date) -> (payment: Payment, event: PaymentEvent)? {
        let joined = state.joined(with: newState)
        guard joined != state else { return nil }
        let next = revised(at: time) { $0.state = joined }
        return (next, PaymentEvent(transition: next, from: status, at: time))
    }

    /// This payment as its next stored version: `edit` applied, the version and update time moved on.
    package func revised(at time: Date, _ edit: (inout Payment) -> Void) -> Payment {
        var next = self
        edit(&next)
        next.updatedAt = time
        next.version = version + 1
        return next
    }
}
