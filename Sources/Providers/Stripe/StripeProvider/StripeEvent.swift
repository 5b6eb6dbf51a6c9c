import PaymentsCore

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
    /// What the event is read for: the whole body is still checked (a repeated key anywhere is malformed),
    /// but only these fields become values.
    static let fieldsRead: JSONSelection = .members([
        "id": .all, "type": .all,
        "data": .members(["object": .members([
            "id": .all, "object": .all, "amount": .all, "amount_refunded": .all, "currency": .all, "status": .all,
            "payment_intent": .all, "metadata": .all,
        ])]),
    ])

    /// Reads the event with the strict JSON reader (a repeated key is malformed, amounts stay
    /// integers); nil when a required field is missing or a field has the wrong type.
    init?(parsing body: [UInt8]) {
        guard let json = try? JSONValue(parsing: body, keeping: Self.fieldsRead),
              let id = json["id"]?.string, let type = json["type"]?.string,
              case .object(let fields)? = json["data"]?["object"]
        else { return nil }
        func string(_ key: String) -> String?? {
            switch fields[key] {
            case nil, .null?: return .some(nil)
            case .string(let text)?: return .some(text)
            default: return nil
            }
        }
        func integer(_ key: String) -> Int?? {
            switch fields[key] {
            case nil, .null?: return .some(nil)
            case .number?: return fields[key]?.int.map { .some($0) } ?? nil
            default: return nil
            }
        }
        var metadata: [String: String]?
        switch fields["metadata"] {
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
        guard let objectID = string("id"), let object = string("object"), let amount = integer("amount"),
              let refunded = integer("amount_refunded"), let currency = string("currency"),
              let status = string("status"), let intent = string("payment_intent")
        else { return nil }
        self.init(id: id, type: type, data: EventData(object: StripeObject(
            id: objectID, object: object, amount: amount, amount_refunded: refunded, currency: currency,
            status: status, payment_intent: intent, metadata: metadata
        )))
    }
}
