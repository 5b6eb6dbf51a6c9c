#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// Creates PaymentIntents (https://docs.stripe.com/api/payment_intents/create).
public struct StripeGateway: PaymentGateway {
    public let provider = "stripe"
    public var secretKey: String
    public var apiBase: String
    public var client: any HTTPClient
    /// Pinned so that Stripe's answers keep the shape this code reads.
    public static let apiVersion = "2024-06-20"

    public init(secretKey: String, apiBase: String = "https://api.stripe.com", client: any HTTPClient) {
        self.secretKey = secretKey
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        self.client = client
    }

    public func create(_ payment: Payment, request: PaymentRequest, idempotencyKey: String, attempt: CreateAttempt) throws(GatewayError) -> GatewayPayment {
        var form: [(String, String)] = [
            ("amount", String(payment.amount.minorUnits)),
            ("currency", payment.amount.currency.code.lowercased()),
            ("metadata[payment_id]", payment.id),
            ("metadata[order_id]", payment.orderID),
            ("automatic_payment_methods[enabled]", "true"),
        ]
        if let method = request.paymentMethod {
            // Confirmed server-side; a card needing 3-D Secure comes back requires_action with its client secret.
            form += [("payment_method", method), ("confirm", "true"), ("automatic_payment_methods[allow_redirects]", "never")]
        }
        if let email = request.customerEmail { form.append(("receipt_email", email)) }
        if let description = request.description { form.append(("description", description)) }

        let httpRequest = HTTPRequest(
            method: "POST", url: "\(apiBase)/v1/payment_intents",
            headers: [
                ("Authorization", "Bearer \(secretKey)"),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Idempotency-Key", idempotencyKey),
                ("Stripe-Version", Self.apiVersion),
            ],
            body: Array(FormURLEncoding.encode(form).utf8),
            timeout: 20,
            isIdempotent: true  // Stripe answers a repeated Idempotency-Key with the first answer
        )
        let response: HTTPResponse
        do {
            response = try client.send(httpRequest)
        } catch {
            throw .unavailable(String(describing: error))
        }
        return try Self.interpret(response)
    }

    static func interpret(_ response: HTTPResponse) throws(GatewayError) -> GatewayPayment {
        guard (200...299).contains(response.status) else { throw error(for: response) }
        struct Intent: Decodable { var id: String; var status: String; var client_secret: String? }
        guard let intent = try? JSONDecoder().decode(Intent.self, from: Data(response.body)) else {
            throw .unavailable("Stripe answered \(response.status) with a body that is not a PaymentIntent")
        }
        return GatewayPayment(reference: intent.id, progress: progress(ofIntentStatus: intent.status),
                              checkout: .init(clientSecret: intent.client_secret))
    }

    static func progress(ofIntentStatus status: String) -> PaymentState.Progress {
        switch status {
        case "requires_action": .requiresAction
        case "processing", "requires_capture": .processing
        case "succeeded": .succeeded
        case "canceled": .canceled
        default: .pending  // requires_payment_method, requires_confirmation: the customer has not paid yet
        }
    }

    /// Stripe's error object (https://docs.stripe.com/api/errors) mapped to what the shop can do about it.
    static func error(for response: HTTPResponse) -> GatewayError {
        struct Envelope: Decodable {
            struct StripeError: Decodable { var type: String?; var code: String?; var decline_code: String?; var message: String? }
            var error: StripeError
        }
        let detail = (try? JSONDecoder().decode(Envelope.self, from: Data(response.body)))?.error
        let message = detail?.message ?? "Stripe answered \(response.status)"
        let code = detail?.decline_code ?? detail?.code ?? detail?.type ?? "http_\(response.status)"
        switch response.status {
        case 402: return .declined(code: code, message: message)
        case 401, 403: return .misconfigured("Stripe answered \(response.status): \(detail?.type ?? "authentication_error")")
        // Another request with the same Idempotency-Key is still running at Stripe: not a refusal.
        case 409: return .unavailable("Stripe is still handling a request with this Idempotency-Key")
        case 429, 500...599: return .unavailable("Stripe answered \(response.status)")
        case 400...499: return .rejected(code: code, message: message)
        default: return .unavailable("Stripe answered \(response.status)")
        }
    }
}
