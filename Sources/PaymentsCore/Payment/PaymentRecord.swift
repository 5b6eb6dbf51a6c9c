#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// The flat JSON form of a payment: what stores persist and `payments show` prints (`GET /payments/{id}`
/// answers `ShownPayment`, without the contact).
public struct PaymentRecord: Codable, Hashable, Sendable {
    public var id: String
    public var orderId: String
    public var provider: String
    public var providerReference: String?
    public var amount: Int
    public var currency: String
    public var status: PaymentStatus
    public var progress: PaymentState.Progress
    public var refundedAmount: Int
    public var dispute: PaymentState.Dispute
    public var customerEmail: String?
    public var customerPhone: String?
    public var description: String?
    public var checkout: Payment.Checkout?
    public var failure: Payment.Failure?
    public var attemptStartedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(_ payment: Payment) {
        id = payment.id
        orderId = payment.orderID
        provider = payment.provider
        providerReference = payment.providerReference
        amount = payment.amount.minorUnits
        currency = payment.amount.currency.code
        status = payment.status
        progress = payment.state.progress
        refundedAmount = payment.state.refundedMinorUnits
        dispute = payment.state.dispute
        customerEmail = payment.customerEmail
        customerPhone = payment.customerPhone
        description = payment.description
        checkout = payment.checkout == Payment.Checkout() ? nil : payment.checkout
        failure = payment.failure
        attemptStartedAt = payment.attemptStartedAt
        createdAt = payment.createdAt
        updatedAt = payment.updatedAt
        version = payment.version
    }

    /// The payment this record describes; nil when the record is corrupt (an unknown currency).
    public var payment: Payment? {
        guard let currency = Currency(code: currency) else { return nil }
        return Payment(
            id: id, orderID: orderId, provider: provider, providerReference: providerReference,
            amount: Money(minorUnits: amount, currency: currency),
            state: PaymentState(progress: progress, refundedMinorUnits: refundedAmount, dispute: dispute),
            customerEmail: customerEmail, customerPhone: customerPhone, description: description, checkout: checkout ?? Payment.Checkout(),
            failure: failure, attemptStartedAt: attemptStartedAt, createdAt: createdAt, updatedAt: updatedAt, version: version
        )
    }
}
