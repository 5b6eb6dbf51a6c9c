import PaymentsCore
import Platform

/// The parts of a Stripe event (https://docs.stripe.com/api/events/object) that move a payment.
struct StripeEvent {
    var id: String
    var type: String
    var data: EventData

    struct EventData {
        var object: StripeObject
    }

    /// A PaymentIntent, Charge or Dispute: the fields the handled event types use.
    struct StripeObject {
        var id: String?
        var object: String?
        var amount: Int?
        var amount_refunded: Int?
        var currency: String?
        var status: String?
        var payment_intent: String?
        var metadata: [String: String]?
    }
}

extension StripeEvent {
    /// The fields the event is read for, in the order of `fieldsRead`.
    enum Field: Int, CaseIterable {
        case id, type, objectID, objectKind, amount, amountRefunded, currency, status, paymentIntent, metadata

        var path: [String] {
            switch self {
            case .id: ["id"]
            case .type: ["type"]
            case .objectID: ["data", "object", "id"]
            case .objectKind: ["data", "object", "object"]
            case .amount: ["data", "object", "amount"]
            case .amountRefunded: ["data", "object", "amount_refunded"]
            case .currency: ["data", "object", "currency"]
            case .status: ["data", "object", "status"]
            case .paymentIntent: ["data", "object", "payment_intent"]
            case .metadata: ["data", "object", "metadata"]
            }
        }
    }

    /// What the event is read for: the whole body is still checked (a repeated key anywhere is malformed),
    /// but only these fields become values.
    static let fieldsRead = JSONPaths(Field.allCases.map(\.path))

    /// Reads the event with the strict JSON reader (a repeated key is malformed, amounts stay
    /// integers); nil when a required field is missing or a field has the wrong type.
    init?(parsing body: [UInt8]) {
        guard let fields = try? JSONCaptures(parsing: body, paths: Self.fieldsRead) else { return nil }
        func value(_ field: Field) -> JSONValue? { fields[field.rawValue] }
        guard let id = value(.id)?.string, let type = value(.type)?.string, fields.hasParentObject(Field.objectID.rawValue) else { return nil }
        func string(_ field: Field) -> String?? {
            switch value(field) {
            case nil, .null?: return .some(nil)
            case .string(let text)?: return .some(text)
            default: return nil
            }
        }
        func integer(_ field: Field) -> Int?? {
            switch value(field) {
            case nil, .null?: return .some(nil)
            case .number(let text)?: return Int(text).map { .some($0) } ?? nil
            default: return nil
            }
        }
        var metadata: [String: String]?
        switch value(.metadata) {
        case nil, .null?: metadata = nil
        case .object(let members)?:
            var values: [String: String] = [:]
            for (key, value) in members {
                guard case .string(let text) = value else { return nil }
                values[key] = text
            }
            metadata = values
        default: return nil
        }
        guard let objectID = string(.objectID), let object = string(.objectKind), let amount = integer(.amount),
              let refunded = integer(.amountRefunded), let currency = string(.currency),
              let status = string(.status), let intent = string(.paymentIntent)
        else { return nil }
        self.init(id: id, type: type, data: EventData(object: StripeObject(
            id: objectID, object: object, amount: amount, amount_refunded: refunded, currency: currency,
            status: status, payment_intent: intent, metadata: metadata
        )))
    }
}
