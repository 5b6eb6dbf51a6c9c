import PaymentsCore
import Platform

/// A shipment's joined state as stored (a SQLite column, a DynamoDB attribute): a JSON object from
/// payment id to `{"amount","refundedAmount","dispute"}`, read back strictly. Ranks are written by name.
enum ShipmentStateCoding {
    static func encode(_ state: ShipmentState) throws -> String {
        let members = state.payments.keys.sorted().map { id -> String in
            let payment = state.payments[id]!
            return "\(quoted(id)):{\"amount\":\(payment.amount),\"dispute\":\(quoted(String(describing: payment.dispute))),\"refundedAmount\":\(payment.refundedAmount)}"
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func decode(_ text: String) throws -> ShipmentState {
        guard case .object(let members) = try JSONValue(parsing: text) else { throw StoreError("a stored shipment state is not an object") }
        var payments: [String: PaidPayment] = [:]
        for (id, value) in members {
            guard let amount = value["amount"]?.int, let refunded = value["refundedAmount"]?.int, let name = value["dispute"]?.string,
                  let dispute = PaymentState.Dispute.allCases.first(where: { String(describing: $0) == name })
            else { throw StoreError("a stored shipment state is corrupt") }
            payments[id] = PaidPayment(amount: amount, refundedAmount: refunded, dispute: dispute)
        }
        return ShipmentState(payments: payments)
    }

    /// A JSON string literal; payment ids are ours (`pay_…`), but nothing here assumes it.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
