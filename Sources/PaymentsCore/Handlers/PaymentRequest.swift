#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto

/// The shop's request to take a payment: `POST /payments/{provider}`.
public struct PaymentRequest: Sendable, Equatable {
    public var orderID: String
    public var amount: Money
    /// A provider token (a payment method id, a nonce). Never card data.
    public var paymentMethod: String?
    public var customerEmail: String?
    public var description: String?

    public init(orderID: String, amount: Money, paymentMethod: String? = nil, customerEmail: String? = nil, description: String? = nil) {
        self.orderID = orderID
        self.amount = amount
        self.paymentMethod = paymentMethod
        self.customerEmail = customerEmail
        self.description = description
    }

    /// Identifies the request's content, so that a reused Idempotency-Key with other content is refused.
    public var fingerprint: String {
        let canonical = [orderID, String(amount.minorUnits), amount.currency.code, paymentMethod ?? "", customerEmail ?? "", description ?? ""]
            .map { "\($0.utf8.count):\($0)" }.joined()
        return Hex.encode(SHA256.hash(data: Array(canonical.utf8)))
    }
}

extension PaymentRequest {
    /// Field names that would carry raw card data: refused outright, whatever their value.
    static let cardFields: Set<String> = ["card", "cardnumber", "card_number", "number", "pan", "cvc", "cvv", "cvv2", "exp_month", "exp_year", "expiry"]

    /// Parses and validates a request body; every refusal names the field and the rule.
    public static func parse(_ body: [UInt8]) throws(Problem) -> PaymentRequest {
        guard !body.isEmpty else { throw .badRequest("missing-body", "The request has no body; send a JSON object.") }
        let object: [String: JSONValue]
        do {
            guard case .object(let parsed) = try JSONDecoder().decode(JSONValue.self, from: Data(body)) else {
                throw Problem.badRequest("invalid-json", "The body must be a JSON object.")
            }
            object = parsed
        } catch let problem as Problem {
            throw problem
        } catch {
            throw .badRequest("invalid-json", "The body is not valid JSON.")
        }
        if let field = object.keys.first(where: { cardFields.contains($0.lowercased()) }) {
            throw .unprocessable("card-data-not-accepted", "Field '\(field)' looks like card data. Only provider tokens are accepted; collect cards with the provider's client SDK.")
        }

        let orderID = try requiredString(object, "orderId", maxLength: 200)
        guard case .number(let amountText)? = object["amount"] else {
            throw .unprocessable("invalid-amount", "'amount' is required: a positive integer number of minor units (2000 is 20.00 USD).")
        }
        guard let minorUnits = Int(amountText), minorUnits > 0, minorUnits <= Money.maximumMinorUnits else {
            throw .unprocessable("invalid-amount", "'amount' must be a positive integer number of minor units no larger than \(Money.maximumMinorUnits), not \(amountText).")
        }
        let currencyCode = try requiredString(object, "currency", maxLength: 3)
        guard let currency = Currency(code: currencyCode) else {
            throw .unprocessable("invalid-currency", "'currency' must be an ISO 4217 code such as USD, EUR or JPY, not '\(currencyCode)'.")
        }
        let paymentMethod = try optionalString(object, "paymentMethod", maxLength: 4096)
        if let paymentMethod, looksLikeCardNumber(paymentMethod) {
            throw .unprocessable("card-data-not-accepted", "'paymentMethod' looks like a card number. Send the provider's token for the card instead.")
        }
        let email = try optionalString(object, "customerEmail", maxLength: 254)
        if let email, !email.contains("@") {
            throw .unprocessable("invalid-email", "'customerEmail' must be an email address.")
        }
        let description = try optionalString(object, "description", maxLength: 1000)
        return PaymentRequest(orderID: orderID, amount: Money(minorUnits: minorUnits, currency: currency),
                              paymentMethod: paymentMethod, customerEmail: email, description: description)
    }

    private static func requiredString(_ object: [String: JSONValue], _ key: String, maxLength: Int) throws(Problem) -> String {
        guard let value = try optionalString(object, key, maxLength: maxLength) else {
            throw .unprocessable("missing-field", "'\(key)' is required.")
        }
        return value
    }

    private static func optionalString(_ object: [String: JSONValue], _ key: String, maxLength: Int) throws(Problem) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?:
            guard !text.isEmpty else { throw .unprocessable("invalid-field", "'\(key)' must not be empty.") }
            guard text.count <= maxLength else { throw .unprocessable("invalid-field", "'\(key)' is longer than \(maxLength) characters.") }
            guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw .unprocessable("invalid-field", "'\(key)' contains control characters.")
            }
            return text
        default: throw .unprocessable("invalid-field", "'\(key)' must be a string.")
        }
    }

    /// 12 to 19 digits (spaces and dashes aside) passing the Luhn check: a card number, not a token.
    static func looksLikeCardNumber(_ text: String) -> Bool {
        let digits = text.filter { $0 != " " && $0 != "-" }
        guard (12...19).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else { return false }
        var sum = 0
        for (offset, character) in digits.reversed().enumerated() {
            var digit = Int(String(character))!
            if offset % 2 == 1 { digit *= 2; if digit > 9 { digit -= 9 } }
            sum += digit
        }
        return sum % 10 == 0
    }
}
