#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import Platform

/// The shop's request to take a payment: `POST /payments/{provider}`.
public struct PaymentRequest: Sendable, Equatable {
    public var orderID: String
    public var amount: Money
    /// A provider token (a payment method id, a nonce). Never card data.
    public var paymentMethod: String?
    public var customerEmail: String?
    /// E.164: `+`, then 8 to 15 digits, the first not 0.
    public var customerPhone: String?
    public var description: String?

    public init(orderID: String, amount: Money, paymentMethod: String? = nil, customerEmail: String? = nil,
                customerPhone: String? = nil, description: String? = nil) {
        self.orderID = orderID
        self.amount = amount
        self.paymentMethod = paymentMethod
        self.customerEmail = customerEmail
        self.customerPhone = customerPhone
        self.description = description
    }

    /// Identifies the request's content, so that a reused Idempotency-Key with other content is refused.
    public var fingerprint: String {
        // The phone is appended only when given, so that requests without one keep the fingerprint
        // they had before it existed (a stored key retried after an upgrade still matches).
        let fields = [orderID, String(amount.minorUnits), amount.currency.code, paymentMethod ?? "", customerEmail ?? "", description ?? ""]
            + (customerPhone.map { ["phone", $0] } ?? [])
        let canonical = fields.map { "\($0.utf8.count):\($0)" }.joined()
        return Hex.encode(SHA256.hash(data: Array(canonical.utf8)))
    }
}

extension PaymentRequest {
    /// The largest body a payment request may have. The fields it takes fit in about 6 KB even
    /// fully escaped; 16 KiB leaves room for unknown fields while refusing floods before parsing.
    public static let maximumBodyBytes = 16 * 1024

    /// Parses and validates a request body; every refusal names the field and the rule, and never
    /// echoes a value that could be card data.
    public static func parse(_ body: [UInt8]) throws(Problem) -> PaymentRequest {
        guard !body.isEmpty else { throw .badRequest("missing-body", "The request has no body; send a JSON object.") }
        guard body.count <= maximumBodyBytes else { throw .bodyTooLarge(limit: maximumBodyBytes, what: "Payment requests") }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: body)
        } catch {
            throw .badRequest("malformed-json", "The body is not valid JSON: \(error.description). Send one JSON object, each key once.")
        }
        guard case .object(let object) = document else {
            throw .badRequest("malformed-json", "The body must be a JSON object.")
        }
        // Before any other check, so that no later message can echo a card number.
        if let field = CardData.location(in: document) {
            throw .cardDataRefused(in: field)
        }

        let orderID = try requiredString(object, "orderId", maxLength: 200)
        let currencyCode = try requiredString(object, "currency", maxLength: 3)
        guard let currency = Currency(code: currencyCode) else {
            throw .unprocessable("invalid-currency", "'currency' must be an ISO 4217 code such as USD, EUR or JPY, not '\(currencyCode)'.")
        }
        let amount = try Self.amount(object["amount"], currency: currency)
        let paymentMethod = try optionalString(object, "paymentMethod", maxLength: 4096)
        let email = try optionalString(object, "customerEmail", maxLength: 254)
        if let email, !email.contains("@") {
            throw .unprocessable("invalid-email", "'customerEmail' must be an email address.")
        }
        let phone = try optionalString(object, "customerPhone", maxLength: 16)
        if let phone, !isE164(phone) {
            throw .unprocessable("invalid-phone", "'customerPhone' must be an E.164 number: '+' then 8 to 15 digits, the first not 0, with no spaces or dashes.")
        }
        let description = try optionalString(object, "description", maxLength: 1000)
        return PaymentRequest(orderID: orderID, amount: amount, paymentMethod: paymentMethod, customerEmail: email,
                              customerPhone: phone, description: description)
    }

    /// `+` and 8 to 15 ASCII digits, the first not 0 (no country code starts with 0). Spaces, dashes and
    /// brackets are refused rather than removed: what is stored is what the SMS channel dials.
    package static func isE164(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "+"), (9...16).contains(bytes.count), bytes[1] != UInt8(ascii: "0") else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// An integer literal of minor units, as written: `2000.0`, `2e3` or `"2000"` are refused rather
    /// than guessed at, since a client that sends them has its units wrong somewhere.
    static func amount(_ value: JSONValue?, currency: Currency) throws(Problem) -> Money {
        let rule = "a positive integer number of minor units (2000 is 20.00 USD), written without fraction or exponent"
        guard case .number(let text)? = value else {
            throw .unprocessable("invalid-amount", "'amount' is required: \(rule).")
        }
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .unprocessable("invalid-amount", "'amount' must be \(rule).")
        }
        let limit = currency.maximumMinorUnits
        guard let minorUnits = Int(text), minorUnits > 0, minorUnits <= limit else {
            throw .unprocessable("invalid-amount", "'amount' must be between 1 and \(limit) minor units of \(currency.code).")
        }
        return Money(minorUnits: minorUnits, currency: currency)
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
}
