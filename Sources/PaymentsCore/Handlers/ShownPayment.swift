#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// The answer to `GET /payments/{id}`: what the shop's back end needs to know about the payment.
///
/// Not the customer's contact (the shop has it, and anyone holding a payment id would otherwise read
/// it), not the checkout's client secret (for the paying browser only, handed out once by create), and
/// not the store's bookkeeping (`version`, `attemptStartedAt`). Its own type, rather than
/// `PaymentRecord` with fields blanked, so that a field added to the stored record is not published
/// by default.
package struct ShownPayment: Codable, Sendable, Equatable {
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
    public var description: String?
    /// The provider's approval link, for a shop that must send the customer back to it.
    public var checkout: Checkout?
    public var failure: Payment.Failure?
    public var createdAt: Date
    public var updatedAt: Date

    public struct Checkout: Codable, Sendable, Equatable {
        public var approvalURL: String
    }

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
        description = payment.description
        checkout = payment.checkout.approvalURL.map { Checkout(approvalURL: $0) }
        failure = payment.failure
        createdAt = payment.createdAt
        updatedAt = payment.updatedAt
    }
}
