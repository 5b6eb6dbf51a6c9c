#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// One announced change of a payment, as published on the bus (EventBridge source `shop.payments`).
public struct PaymentEvent: Codable, Hashable, Sendable {
    public static let source = "shop.payments"

    public var source: String
    public var detailType: String
    public var time: Date
    public var detail: Detail

    public struct Detail: Codable, Hashable, Sendable {
        /// Unique per transition (payment id and the version it produced), so consumers can drop repeats.
        public var eventId: String
        public var paymentId: String
        public var orderId: String
        public var provider: String
        public var providerReference: String?
        public var amount: Int
        public var currency: String
        public var status: PaymentStatus
        public var previousStatus: PaymentStatus?
        public var refundedAmount: Int
        public var version: Int
        public var time: Date
        /// The customer's contact as the shop gave it with the payment request, so that Notification
        /// needs no other lookup. Absent (not null) in the JSON when the shop gave none.
        public var customerEmail: String?
        /// E.164 (`+` and 8 to 15 digits).
        public var customerPhone: String?
    }

    enum CodingKeys: String, CodingKey {
        case source
        case detailType = "detail-type"
        case time
        case detail
    }

    public var id: String { detail.eventId }

    public init(source: String, detailType: String, time: Date, detail: Detail) {
        self.source = source
        self.detailType = detailType
        self.time = time
        self.detail = detail
    }

    /// The event announcing that `payment` reached its current state from `previous`.
    /// When only the refunded total grew, the status may be unchanged; the refund is what is announced.
    public init(transition payment: Payment, from previous: PaymentStatus?, at time: Date) {
        let status = payment.status
        let detailType: String
        if status == previous, payment.state.refundedMinorUnits > 0 {
            detailType = payment.state.refundedMinorUnits >= payment.amount.minorUnits
                ? PaymentStatus.refunded.eventDetailType : PaymentStatus.partiallyRefunded.eventDetailType
        } else {
            detailType = status.eventDetailType
        }
        self.source = Self.source
        self.detailType = detailType
        self.time = time
        self.detail = Detail(
            eventId: "\(payment.id)-v\(payment.version)",
            paymentId: payment.id,
            orderId: payment.orderID,
            provider: payment.provider,
            providerReference: payment.providerReference,
            amount: payment.amount.minorUnits,
            currency: payment.amount.currency.code,
            status: status,
            previousStatus: previous,
            refundedAmount: payment.state.refundedMinorUnits,
            version: payment.version,
            time: time,
            customerEmail: payment.customerEmail,
            customerPhone: payment.customerPhone
        )
    }
}
