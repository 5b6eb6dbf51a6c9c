#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

extension PaymentEvent {
    /// Every detail-type a payment event may have.
    public static let detailTypes: Set<String> = Set(PaymentStatus.allCases.map(\.eventDetailType))

    /// The payment event an EventBridge envelope carries, read field by field with the types the one
    /// JSON encoding writes: a consumer refuses (rather than guesses at) an event of another source,
    /// an unknown detail-type, or a detail with a missing or mistyped field.
    public init(envelope: EventBridgeEnvelope) throws(UnreadableRecord) {
        guard envelope.source == Self.source else { throw UnreadableRecord("the source is not \(Self.source)") }
        guard Self.detailTypes.contains(envelope.detailType) else { throw UnreadableRecord("unknown detail-type for a payment event") }
        let detail = envelope.detail

        func string(_ key: String) throws(UnreadableRecord) -> String {
            guard let value = try optionalString(key) else { throw UnreadableRecord("the detail has no '\(key)'") }
            return value
        }
        func optionalString(_ key: String) throws(UnreadableRecord) -> String? {
            switch detail[key] {
            case nil, .null?: return nil
            case .string(let text)?:
                guard !text.isEmpty else { throw UnreadableRecord("the detail's '\(key)' is empty") }
                return text
            default: throw UnreadableRecord("the detail's '\(key)' is not a string")
            }
        }
        func integer(_ key: String) throws(UnreadableRecord) -> Int {
            guard let value = detail[key] else { throw UnreadableRecord("the detail has no '\(key)'") }
            guard let number = value.int, number >= 0 else { throw UnreadableRecord("the detail's '\(key)' is not a non-negative integer") }
            return number
        }
        func status(_ key: String) throws(UnreadableRecord) -> PaymentStatus? {
            guard let name = try optionalString(key) else { return nil }
            guard let status = PaymentStatus(rawValue: name) else { throw UnreadableRecord("the detail's '\(key)' is not a payment status") }
            return status
        }

        let currency = try string("currency")
        guard Currency(code: currency) != nil else { throw UnreadableRecord("the detail's 'currency' is not an ISO 4217 code") }
        guard let current = try status("status") else { throw UnreadableRecord("the detail has no 'status'") }
        let time = try optionalString("time").map { (text) throws(UnreadableRecord) -> Date in
            guard let date = Timestamp.date(text) else { throw UnreadableRecord("the detail's 'time' is not an RFC 3339 UTC time") }
            return date
        } ?? envelope.time
        let eventID = try string("eventId")
        self.init(source: Self.source, detailType: envelope.detailType, time: envelope.time, detail: Detail(
            eventId: eventID,
            paymentId: try string("paymentId"),
            orderId: try string("orderId"),
            provider: try string("provider"),
            providerReference: try optionalString("providerReference"),
            amount: try integer("amount"),
            currency: currency.uppercased(),
            status: current,
            previousStatus: try status("previousStatus"),
            refundedAmount: try integer("refundedAmount"),
            version: try integer("version"),
            time: time,
            customerEmail: try optionalString("customerEmail"),
            customerPhone: try optionalString("customerPhone")
        ))
    }
}
