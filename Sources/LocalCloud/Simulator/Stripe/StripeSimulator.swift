import Foundation
import PaymentsCore
import Platform
import StripeProvider
import Synchronization

/// Stripe's API as `StripeGateway` calls it (https://docs.stripe.com/api/payment_intents), in memory,
/// behaving like scripts/fake_stripe.py: `Authorization: Bearer sk_…` (the exact key when one is set),
/// amount/currency validation, test payment methods (`pm_card_visa` succeeds, `pm_card_authenticationRequired`
/// needs 3-D Secure, `pm_card_chargeDeclined` is declined with 402), and `Idempotency-Key`: the same key
/// with the same parameters replays the first answer byte for byte (`Idempotent-Replayed: true`),
/// with other parameters it is a 400 `idempotency_error`.
public final class StripeAPISimulator: ProviderAPISimulator {
    public let secretKey: String?

    struct Stored {
        var parameters: [String]
        var response: SimulatorResponse
    }

    struct State {
        var intents: [String: [String: Any]] = [:]
        var idempotency: [String: Stored] = [:]
        var createCalls = 0
    }

    private let state = Mutex(State())

    /// `secretKey`: the key the payment function must send; nil accepts any `sk_…` key.
    public init(secretKey: String? = nil) {
        self.secretKey = secretKey
    }

    package var createCalls: Int { state.withLock { $0.createCalls } }

    public func handle(_ request: SimulatorRequest) -> SimulatorResponse {
        let bearer = request.header("authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let key = bearer, key.hasPrefix("sk_"), secretKey == nil || key == secretKey else {
            return Self.error(401, type: "invalid_request_error", code: nil, message: "Invalid API Key provided: \(Self.redacted(bearer ?? ""))")
        }
        let path = request.path
        if request.method == "POST", path == "/v1/payment_intents" { return create(request) }
        if request.method == "GET", path.hasPrefix("/v1/payment_intents/") {
            let id = String(path.dropFirst("/v1/payment_intents/".count))
            guard let intent = state.withLock({ $0.intents[id].map { SimulatorJSON.encode($0) } }) else {
                return Self.error(404, type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent: '\(id)'")
            }
            return SimulatorResponse(status: 200, headers: ["Content-Type": "application/json"], body: intent)
        }
        return Self.error(404, type: "invalid_request_error", code: nil, message: "Unrecognized request URL (\(request.method): \(path)).")
    }

    func create(_ request: SimulatorRequest) -> SimulatorResponse {
        guard let pairs = FormURLEncoding.decode(request.body) else {
            return Self.error(400, type: "invalid_request_error", code: nil, message: "The request body is not form-encoded.")
        }
        let parameters = pairs.map { "\($0.0)=\($0.1)" }.sorted()
        let idempotencyKey = request.header("idempotency-key")
        return state.withLock { state -> SimulatorResponse in
            state.createCalls += 1
            if let idempotencyKey, let stored = state.idempotency[idempotencyKey] {
                guard stored.parameters == parameters else {
                    return Self.error(400, type: "idempotency_error", code: nil,
                                      message: "Keys for idempotent requests can only be used with the same parameters they were first used with.")
                }
                var replay = stored.response
                replay.headers["Idempotent-Replayed"] = "true"
                return replay
            }
            let response = Self.makeIntent(Dictionary(pairs, uniquingKeysWith: { first, _ in first }), into: &state)
            // Stripe stores every answer it gave to a key, errors included, except 5xx and rate limits.
            if let idempotencyKey, response.status < 500, response.status != 429 {
                state.idempotency[idempotencyKey] = Stored(parameters: parameters, response: response)
            }
            return response
        }
    }

    static func makeIntent(_ form: [String: String], into state: inout State) -> SimulatorResponse {
        guard let amountText = form["amount"] else {
            return error(400, type: "invalid_request_error", code: "parameter_missing", message: "Missing required param: amount.", param: "amount")
        }
        guard let amount = Int(amountText), amount >= 1 else {
            return error(400, type: "invalid_request_error", code: "parameter_invalid_integer", message: "Invalid integer: \(amountText)", param: "amount")
        }
        guard let currency = form["currency"] else {
            return error(400, type: "invalid_request_error", code: "parameter_missing", message: "Missing required param: currency.", param: "currency")
        }
        guard currency.count == 3, currency == currency.lowercased(), Currency(code: currency.uppercased()) != nil else {
            return error(400, type: "invalid_request_error", code: "parameter_invalid_string", message: "Invalid currency: \(currency).", param: "currency")
        }
        var metadata: [String: String] = [:]
        for (name, value) in form where name.hasPrefix("metadata[") && name.hasSuffix("]") {
            metadata[String(name.dropFirst(9).dropLast())] = value
        }
        let id = RandomID.make("pi_")
        var status = "requires_payment_method"
        let method = form["payment_method"]
        var latestCharge: String?
        if let method {
            let confirm = form["confirm"] == "true"
            switch method {
            case "pm_card_visa", "pm_card_mastercard", "pm_card_amex":
                status = confirm ? "succeeded" : "requires_confirmation"
                if confirm { latestCharge = RandomID.make("ch_") }
            case "pm_card_authenticationRequired", "pm_card_threeDSecure2Required":
                status = confirm ? "requires_action" : "requires_confirmation"
            case "pm_card_chargeDeclined", "pm_card_visa_chargeDeclined", "pm_card_chargeDeclinedInsufficientFunds":
                guard confirm else { status = "requires_confirmation"; break }
                let decline = method == "pm_card_chargeDeclinedInsufficientFunds" ? "insufficient_funds" : "generic_decline"
                // Stripe keeps the declined intent (requires_payment_method) and answers 402 card_error.
                var intent = intentObject(id: id, amount: amount, currency: currency, status: "requires_payment_method",
                                          metadata: metadata, method: method, form: form, latestCharge: nil)
                intent["last_payment_error"] = ["type": "card_error", "code": "card_declined", "decline_code": decline]
                state.intents[id] = intent
                return json(402, ["error": [
                    "type": "card_error", "code": "card_declined", "decline_code": decline,
                    "message": "Your card was declined.", "payment_intent": intent,
                    "doc_url": "https://stripe.com/docs/error-codes/card-declined",
                ] as [String: Any]])
            default:
                return error(400, type: "invalid_request_error", code: "resource_missing",
                             message: "No such PaymentMethod: '\(method)'", param: "payment_method")
            }
        }
        let intent = intentObject(id: id, amount: amount, currency: currency, status: status, metadata: metadata,
                                  method: method, form: form, latestCharge: latestCharge)
        state.intents[id] = intent
        return json(200, intent)
    }

    static func intentObject(id: String, amount: Int, currency: String, status: String, metadata: [String: String],
                             method: String?, form: [String: String], latestCharge: String?) -> [String: Any] {
        var intent: [String: Any] = [
            "id": id, "object": "payment_intent", "amount": amount, "amount_received": status == "succeeded" ? amount : 0,
            "currency": currency, "status": status, "metadata": metadata, "livemode": false,
            "client_secret": "\(id)_secret_\(RandomID.make("", 24))", "created": Int(Date().timeIntervalSince1970),
            "automatic_payment_methods": ["enabled": form["automatic_payment_methods[enabled]"] == "true"],
            "payment_method": orNull(method), "latest_charge": orNull(latestCharge),
            "description": orNull(form["description"]), "receipt_email": orNull(form["receipt_email"]),
        ]
        if status == "requires_action" {
            intent["next_action"] = ["type": "use_stripe_sdk"]
        }
        return intent
    }

    static func json(_ status: Int, _ object: [String: Any]) -> SimulatorResponse {
        SimulatorResponse(status: status, headers: ["Content-Type": "application/json", "Request-Id": RandomID.make("req_", 14)],
                          body: SimulatorJSON.encode(object))
    }

    static func error(_ status: Int, type: String, code: String?, message: String, param: String? = nil) -> SimulatorResponse {
        var error: [String: Any] = ["type": type, "message": message]
        if let code { error["code"] = code }
        if let param { error["param"] = param }
        return json(status, ["error": error])
    }

    static func redacted(_ key: String) -> String {
        key.count > 8 ? String(key.prefix(8)) + String(repeating: "*", count: 4) + String(key.suffix(4)) : "****"
    }
}

/// Stripe's webhooks (https://docs.stripe.com/api/events), signed with `StripeSignature.header`, the
/// code `StripeSignature.verify` is tested against (and which the Python SDK accepts, see LocalCloudTests).
public struct StripeWebhookSimulator: WebhookSimulator {
    public let provider = "stripe"
    public var webhookSecret: String

    public init(webhookSecret: String) {
        self.webhookSecret = webhookSecret
    }

    public func deliveries(for scenario: WebhookScenario, payment: SimulatedPayment, now: Date) throws(SimulatorError)
        -> (deliveries: [SimulatedDelivery], expectedStatus: String) {
        let intent = try payment.requireReference("a PaymentIntent id")
        let charge = RandomID.make("ch_")
        let time = Int(now.timeIntervalSince1970)
        func intentEvent(_ type: String, status: String) -> SimulatedDelivery {
            event(type, time: time, object: [
                "id": intent, "object": "payment_intent", "amount": payment.amount,
                "amount_received": status == "succeeded" ? payment.amount : 0,
                "currency": payment.currency.lowercased(), "status": status, "latest_charge": charge,
                "metadata": ["payment_id": payment.paymentId, "order_id": payment.orderId], "livemode": false,
            ])
        }
        let succeeded = intentEvent("payment_intent.succeeded", status: "succeeded")
        switch scenario {
        case .succeed:
            return ([succeeded], "succeeded")
        case .fail:
            return ([intentEvent("payment_intent.payment_failed", status: "requires_payment_method")], "failed")
        case .refund:
            let refunded = event("charge.refunded", time: time, object: [
                "id": charge, "object": "charge", "amount": payment.amount, "amount_refunded": payment.amount,
                "amount_captured": payment.amount, "currency": payment.currency.lowercased(), "status": "succeeded",
                "refunded": true, "payment_intent": intent, "metadata": ["payment_id": payment.paymentId, "order_id": payment.orderId],
            ])
            return ([succeeded, refunded], "refunded")
        case .dispute:
            let dispute = event("charge.dispute.created", time: time, object: [
                "id": RandomID.make("dp_"), "object": "dispute", "amount": payment.amount, "charge": charge,
                "currency": payment.currency.lowercased(), "status": "needs_response", "reason": "fraudulent",
                "payment_intent": intent, "metadata": [String: String](),
            ])
            return ([succeeded, dispute], "disputed")
        case .outOfOrder:
            // Stripe does not promise order: the success arrives before the processing that preceded it.
            return ([succeeded, intentEvent("payment_intent.processing", status: "processing")], "succeeded")
        case .duplicate:
            var again = succeeded
            again.label += " (the same delivery again)"
            return ([succeeded, again], "succeeded")
        }
    }

    func event(_ type: String, time: Int, object: [String: Any]) -> SimulatedDelivery {
        let body = SimulatorJSON.encode([
            "id": RandomID.make("evt_"), "object": "event", "api_version": StripeGateway.apiVersion, "created": time,
            "data": ["object": object], "livemode": false, "pending_webhooks": 1,
            "request": ["id": NSNull(), "idempotency_key": NSNull()], "type": type,
        ])
        return SimulatedDelivery(label: type, headers: [
            ("Content-Type", "application/json; charset=utf-8"),
            ("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
            ("Stripe-Signature", StripeSignature.header(body: body, secret: webhookSecret, timestamp: time)),
        ], body: body)
    }
}
