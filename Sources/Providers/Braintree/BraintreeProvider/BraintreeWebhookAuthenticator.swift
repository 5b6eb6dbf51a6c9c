#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// Verifies `POST /webhooks/braintree` deliveries and reads the notifications that move payments.
///
/// Braintree posts a form (`bt_signature=…&bt_payload=…`); the payload is base64 of an XML
/// `<notification>` with `<kind>` and `<subject>`. Our payment id is not in Braintree's XML, so the
/// payment is found by its provider reference: the transaction id.
public struct BraintreeWebhookAuthenticator: WebhookAuthenticator {
    public let provider = "braintree"
    public var signature: BraintreeSignature

    public init(signature: BraintreeSignature) {
        self.signature = signature
    }

    public func notifications(in delivery: WebhookDelivery) throws(WebhookError) -> [ProviderNotification] {
        guard let pairs = FormURLEncoding.decode(delivery.body) else {
            throw .unverified("The body is not a form (application/x-www-form-urlencoded).")
        }
        let signatures = pairs.filter { $0.0 == "bt_signature" }
        let payloads = pairs.filter { $0.0 == "bt_payload" }
        guard signatures.count == 1, payloads.count == 1 else {
            throw .unverified("The form must carry exactly one bt_signature and one bt_payload.")
        }
        let payload = payloads[0].1
        try signature.verify(signature: signatures[0].1, payload: payload)

        guard let decoded = Data(base64Encoded: payload.filter { $0 != "\n" }) else {
            throw .malformed("bt_payload is not valid base64.")
        }
        let root: SafeXML.Element
        do {
            root = try SafeXML.parse([UInt8](decoded))
        } catch {
            throw .malformed("bt_payload is not acceptable XML: \(error.reason).")
        }
        return try Self.notifications(in: root)
    }

    /// The notifications one verified `<notification>` document states: empty for kinds we ignore.
    static func notifications(in root: SafeXML.Element) throws(WebhookError) -> [ProviderNotification] {
        guard root.name == "notification", let kind = root.value(at: "kind") else {
            throw .malformed("The payload is not a Braintree notification (<notification><kind> is required).")
        }
        let timestamp = root.value(at: "timestamp") ?? ""
        let fact: PaymentFact
        let transaction: SafeXML.Element?
        let amountCurrency: String?
        switch kind {
        case "transaction_settled", "transaction_disbursed", "transaction_settlement_declined":
            transaction = root.element(at: "subject/transaction")
            amountCurrency = transaction?.value(at: "currency-iso-code")
            fact = kind == "transaction_settlement_declined" ? .failed : .succeeded
        case "dispute_opened", "dispute_lost", "dispute_won":
            let dispute = root.element(at: "subject/dispute")
            transaction = dispute?.child("transaction")
            amountCurrency = dispute?.value(at: "currency-iso-code")
            fact = kind == "dispute_opened" ? .disputeOpened : kind == "dispute_lost" ? .disputeLost : .disputeWon
        default:
            // "check" (Braintree's test ping) and every kind we do not act on: acknowledged, nothing to apply.
            return []
        }
        guard let reference = transaction?.value(at: "id") else {
            throw .malformed("Braintree \(kind) notification names no transaction id.")
        }
        // Braintree notifications have no id of their own: kind, transaction and timestamp identify one in logs.
        return [ProviderNotification(
            id: "\(kind):\(reference):\(timestamp)", type: kind, paymentID: nil,
            providerReference: reference, fact: fact, currency: amountCurrency
        )]
    }
}
