#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// Creates PayPal Orders v2 orders (https://developer.paypal.com/docs/api/orders/v2/#orders_create)
/// and captures them once the buyer has approved.
///
/// The shop's client sends the buyer to the answer's `approvalUrl`; after approval PayPal sends
/// `CHECKOUT.ORDER.APPROVED`, and the webhook function captures the order (see
/// `PayPalWebhookAuthenticator`). Our payment id travels as `custom_id`, the shop's order id as
/// `invoice_id` and `reference_id`; the provider reference is PayPal's order id.
public struct PayPalGateway: PaymentGateway {
    public let provider = "paypal"
    public var tokens: PayPalAccessTokens

    /// Currencies PayPal accepts (https://developer.paypal.com/api/rest/reference/currency-codes/).
    static let supportedCurrencies: Set<String> = [
        "AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD", "HUF", "ILS", "JPY", "MYR", "MXN", "TWD",
        "NZD", "NOK", "PHP", "PLN", "GBP", "SGD", "SEK", "CHF", "THB", "USD",
    ]
    /// Currencies with minor units in ISO 4217 that PayPal takes in whole units only.
    static let wholeUnitCurrencies: Set<String> = ["HUF", "TWD"]
    /// PayPal's limit for custom_id and invoice_id.
    static let maximumIDLength = 127

    public init(tokens: PayPalAccessTokens) {
        self.tokens = tokens
    }

    var apiBase: String { tokens.apiBase }

    public func validate(_ request: PaymentRequest) throws(Problem) {
        let code = request.amount.currency.code
        guard Self.supportedCurrencies.contains(code) else {
            throw .unprocessable("unsupported-currency", "PayPal does not take payments in \(code).")
        }
        if Self.wholeUnitCurrencies.contains(code), request.amount.minorUnits % 100 != 0 {
            throw .unprocessable("invalid-amount", "PayPal takes \(code) in whole units only: 'amount' must be a multiple of 100.")
        }
        guard request.orderID.utf8.count <= Self.maximumIDLength else {
            throw .unprocessable("invalid-field", "'orderId' is longer than PayPal's \(Self.maximumIDLength) characters.")
        }
    }

    /// The amount as PayPal wants its `value`: "20.00", "500" (JPY), "1000" (HUF, whole units).
    static func value(of amount: Money) -> String {
        if wholeUnitCurrencies.contains(amount.currency.code) { return String(amount.minorUnits / 100) }
        return amount.decimalString
    }

    struct OrderRequest: Encodable {
        struct PurchaseUnit: Encodable {
            var reference_id: String
            var invoice_id: String
            var custom_id: String
            var description: String?
            var amount: PayPalAmount
        }
        var intent = "CAPTURE"
        var purchase_units: [PurchaseUnit]
    }

    static func orderBody(_ payment: Payment) -> [UInt8] {
        let unit = OrderRequest.PurchaseUnit(
            reference_id: payment.orderID, invoice_id: payment.orderID, custom_id: payment.id,
            description: payment.description.map { String($0.prefix(127)) },
            amount: PayPalAmount(currency_code: payment.amount.currency.code, value: value(of: payment.amount))
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain strings cannot fail.
        return Array((try? encoder.encode(OrderRequest(purchase_units: [unit]))) ?? Data())
    }

    public func create(_ payment: Payment, request: PaymentRequest, idempotencyKey: String, attempt: CreateAttempt) throws(GatewayError) -> GatewayPayment {
        // A resumed attempt sends the same PayPal-Request-Id: PayPal answers with the order it already made.
        let body = Self.orderBody(payment)
        let response = try tokens.send { token in
            HTTPRequest(
                method: "POST", url: "\(apiBase)/v2/checkout/orders",
                headers: [
                    ("Authorization", "Bearer \(token)"),
                    ("Content-Type", "application/json"),
                    ("Accept", "application/json"),
                    ("PayPal-Request-Id", idempotencyKey),
                ],
                body: body, timeout: 20,
                isIdempotent: true  // PayPal de-duplicates on PayPal-Request-Id
            )
        }
        return try Self.interpret(response)
    }

    static func interpret(_ response: HTTPResponse) throws(GatewayError) -> GatewayPayment {
        guard (200...299).contains(response.status) else { throw error(for: response) }
        struct Order: Decodable { var id: String; var status: String?; var links: [PayPalLink]? }
        guard let order = try? JSONDecoder().decode(Order.self, from: Data(response.body)), !order.id.isEmpty else {
            throw .unavailable("PayPal answered \(response.status) with a body that is not an order")
        }
        let approval = order.links?.first { $0.rel == "approve" || $0.rel == "payer-action" }?.href
        return GatewayPayment(reference: order.id, progress: progress(ofOrderStatus: order.status), checkout: .init(approvalURL: approval))
    }

    /// https://developer.paypal.com/docs/api/orders/v2/#orders_get!c=200&path=status
    static func progress(ofOrderStatus status: String?) -> PaymentState.Progress {
        switch status {
        case "APPROVED": .processing  // capture comes next
        case "COMPLETED": .succeeded
        case "VOIDED": .canceled
        default: .pending  // CREATED, SAVED, PAYER_ACTION_REQUIRED: the buyer has not approved yet
        }
    }

    /// PayPal's error answer mapped to what the shop can do about it.
    static func error(for response: HTTPResponse) -> GatewayError {
        let body = PayPalErrorBody.parse(response.body)
        let code = body?.code ?? "http_\(response.status)"
        let message = body?.text ?? "PayPal answered \(response.status)"
        switch response.status {
        case 401, 403: return .misconfigured("PayPal answered \(response.status): \(body?.name ?? "AUTHENTICATION_FAILURE")")
        case 400, 422: return .rejected(code: code, message: message)
        case 409: return .unavailable("PayPal answered 409: a request with this PayPal-Request-Id is still in progress")
        case 429, 500...599: return .unavailable("PayPal answered \(response.status)")
        case 402, 404, 405, 406, 410, 415: return .rejected(code: code, message: message)
        default: return .unavailable("PayPal answered \(response.status)")
        }
    }

    // MARK: Capture

    /// What a capture call found.
    public enum CaptureOutcome: Equatable, Sendable {
        /// PayPal made (or had already made, for this request id) a capture in this state.
        case captured(captureID: String, progress: PaymentState.Progress, amount: Money?)
        /// PayPal refused the capture for good (already captured, declined instrument, order not approved):
        /// the capture webhooks, or the buyer's next approval, tell the rest.
        case refused(code: String, message: String)
    }

    /// Captures an approved order (https://developer.paypal.com/docs/api/orders/v2/#orders_capture).
    /// `PayPal-Request-Id: capture-<payment id>` makes a repeated call return the first capture.
    public func capture(orderID: String, paymentID: String) throws(GatewayError) -> CaptureOutcome {
        guard !orderID.isEmpty, orderID.utf8.count <= 64,
              orderID.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) })
        else { return .refused(code: "invalid-order-id", message: "'\(orderID)' is not a PayPal order id") }
        let response = try tokens.send { token in
            HTTPRequest(
                method: "POST", url: "\(apiBase)/v2/checkout/orders/\(orderID)/capture",
                headers: [
                    ("Authorization", "Bearer \(token)"),
                    ("Content-Type", "application/json"),
                    ("Accept", "application/json"),
                    ("Prefer", "return=representation"),
                    ("PayPal-Request-Id", "capture-\(paymentID)"),
                ],
                body: Array("{}".utf8), timeout: 20,
                isIdempotent: true
            )
        }
        guard (200...299).contains(response.status) else {
            switch Self.error(for: response) {
            case .rejected(let code, let message), .declined(let code, let message): return .refused(code: code, message: message)
            case let other: throw other
            }
        }
        guard let order = try? JSONValue(parsing: response.body),
              let capture = order.path("purchase_units")?[0]?.path("payments", "captures")?[0],
              let captureID = capture["id"]?.string
        else {
            throw .unavailable("PayPal answered the capture with a body that has no capture")
        }
        let progress: PaymentState.Progress
        switch capture["status"]?.string {
        case "COMPLETED": progress = .succeeded
        case "DECLINED", "FAILED": progress = .failed
        default: progress = .processing  // PENDING: PayPal is reviewing; PAYMENT.CAPTURE.COMPLETED follows
        }
        return .captured(captureID: captureID, progress: progress, amount: capture["amount"]?.money)
    }
}
