import _CryptoExtras
import Foundation
import PaymentsCore
import Platform
import PayPalProvider
import Synchronization

/// PayPal's REST API as `PayPalGateway` and the webhook function's capture call it, in memory,
/// behaving like scripts/fake_paypal.py: OAuth client-credentials tokens (`Authorization: Basic`,
/// the exact client id and secret when set), Orders v2 create / show / capture with
/// `PayPal-Request-Id` replay (the first successful answer, byte for byte), validation errors
/// (`INVALID_REQUEST` with details), the buyer's approval page (`GET /checkoutnow?token=ID` marks
/// the order APPROVED), then `ORDER_NOT_APPROVED` / `ORDER_ALREADY_CAPTURED` on capture.
public final class PayPalAPISimulator: ProviderAPISimulator {
    public let clientID: String?
    public let clientSecret: String?

    struct State {
        var tokens: Set<String> = []
        var orders: [String: [String: Any]] = [:]
        var replays: [String: SimulatorResponse] = [:]
        var ordersCreated = 0
        var capturesMade = 0
    }

    private let state = Mutex(State())

    public init(clientID: String? = nil, clientSecret: String? = nil) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    package var ordersCreated: Int { state.withLock { $0.ordersCreated } }
    package var capturesMade: Int { state.withLock { $0.capturesMade } }
    package func orderStatus(_ id: String) -> String? { state.withLock { $0.orders[id]?["status"] as? String } }

    public func handle(_ request: SimulatorRequest) -> SimulatorResponse {
        let base = "http://" + (request.header("host") ?? "127.0.0.1")
        switch (request.method, request.path) {
        case ("POST", "/v1/oauth2/token"):
            return token(request)
        case ("GET", "/checkoutnow"):
            return approve(token: request.query["token"] ?? "")
        default:
            break
        }
        let bearer = request.header("authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let bearer, state.withLock({ $0.tokens.contains(bearer) }) else {
            return .json(401, #"{"error":"invalid_token","error_description":"Token signature verification failed"}"#)
        }
        let parts = request.path.split(separator: "/").map(String.init)
        switch (request.method, parts.count) {
        case ("POST", 3) where parts == ["v2", "checkout", "orders"]:
            return replaying(request) { createOrder(request, base: base, state: &$0) }
        case ("GET", 4) where parts[0...2] == ["v2", "checkout", "orders"]:
            guard let order = state.withLock({ $0.orders[parts[3]].map { Self.text($0) } }) else { return Self.notFound(parts[3]) }
            return .json(200, order)
        case ("POST", 5) where parts[0...2] == ["v2", "checkout", "orders"] && parts[4] == "capture":
            return replaying(request) { capture(parts[3], base: base, state: &$0) }
        default:
            return Self.error(404, name: "RESOURCE_NOT_FOUND", message: "The specified resource does not exist.", issue: nil)
        }
    }

    /// The same PayPal-Request-Id gets the first successful answer again (errors are not kept).
    func replaying(_ request: SimulatorRequest, _ body: (inout State) -> SimulatorResponse) -> SimulatorResponse {
        let key = request.header("paypal-request-id").map { "\(request.path) \($0)" }
        return state.withLock { state in
            if let key, let earlier = state.replays[key] { return earlier }
            let response = body(&state)
            if let key, (200...299).contains(response.status) { state.replays[key] = response }
            return response
        }
    }

    func token(_ request: SimulatorRequest) -> SimulatorResponse {
        let refused = SimulatorResponse.json(401, #"{"error":"invalid_client","error_description":"Client Authentication failed"}"#)
        guard let basic = request.header("authorization"), basic.hasPrefix("Basic "),
              let decoded = Data(base64Encoded: String(basic.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
              let colon = decoded.firstIndex(of: ":") else { return refused }
        let id = String(decoded[..<colon]), secret = String(decoded[decoded.index(after: colon)...])
        guard !id.isEmpty, !secret.isEmpty, clientID == nil || clientID == id, clientSecret == nil || clientSecret == secret else { return refused }
        guard (FormURLEncoding.decode(request.body) ?? []).contains(where: { $0 == ("grant_type", "client_credentials") }) else {
            return .json(400, #"{"error":"unsupported_grant_type","error_description":"Grant Type is NULL"}"#)
        }
        let token = RandomID.make("A21AA", 60)
        state.withLock { _ = $0.tokens.insert(token) }
        return .json(200, Self.text([
            "scope": "https://uri.paypal.com/services/payments/payment", "access_token": token, "token_type": "Bearer",
            "app_id": "APP-80W284485P519543T", "expires_in": 32400, "nonce": RandomID.make("", 40),
        ]))
    }

    func createOrder(_ request: SimulatorRequest, base: String, state: inout State) -> SimulatorResponse {
        guard let body = SimulatorJSON.parse(request.body) else {
            return Self.error(400, name: "INVALID_REQUEST", message: "Request is not well-formed, syntactically incorrect, or violates schema.", issue: "MALFORMED_REQUEST_JSON")
        }
        guard let intent = body["intent"] as? String, intent == "CAPTURE" || intent == "AUTHORIZE" else {
            return Self.error(400, name: "INVALID_REQUEST", message: "Request is not well-formed, syntactically incorrect, or violates schema.", issue: "INVALID_PARAMETER_VALUE", field: "/intent")
        }
        guard let units = body["purchase_units"] as? [[String: Any]], var unit = units.first,
              let amount = unit["amount"] as? [String: Any], let code = amount["currency_code"] as? String, let value = amount["value"] as? String
        else {
            return Self.error(400, name: "INVALID_REQUEST", message: "Request is not well-formed, syntactically incorrect, or violates schema.", issue: "MISSING_REQUIRED_PARAMETER", field: "/purchase_units/0/amount")
        }
        guard let currency = Currency(code: code) else {
            return Self.error(422, name: "UNPROCESSABLE_ENTITY", message: "The requested action could not be performed.", issue: "CURRENCY_NOT_SUPPORTED", field: "/purchase_units/0/amount/currency_code")
        }
        let whole = ["HUF", "TWD", "JPY"].contains(code)
        guard whole ? !value.contains(".") && Int(value) != nil : Money(decimal: value, currency: currency) != nil, !value.hasPrefix("-") else {
            return Self.error(422, name: "UNPROCESSABLE_ENTITY", message: "The requested action could not be performed.", issue: "DECIMAL_PRECISION", field: "/purchase_units/0/amount/value")
        }
        let id = RandomID.make("", 17, from: RandomID.upper)
        unit["payee"] = ["email_address": "merchant@example.com", "merchant_id": "SIMULATORMERCH"]
        state.ordersCreated += 1
        let order: [String: Any] = [
            "id": id, "intent": intent, "status": "CREATED", "purchase_units": [unit],
            "create_time": Self.now(),
            "links": [
                ["href": "\(base)/v2/checkout/orders/\(id)", "rel": "self", "method": "GET"],
                ["href": "\(base)/checkoutnow?token=\(id)", "rel": "approve", "method": "GET"],
                ["href": "\(base)/v2/checkout/orders/\(id)", "rel": "update", "method": "PATCH"],
                ["href": "\(base)/v2/checkout/orders/\(id)/capture", "rel": "capture", "method": "POST"],
            ],
        ]
        state.orders[id] = order
        return .json(201, Self.text(order))
    }

    func approve(token: String) -> SimulatorResponse {
        let approved: Bool = state.withLock { state in
            guard var order = state.orders[token] else { return false }
            if order["status"] as? String == "CREATED" { order["status"] = "APPROVED" }
            order["payer"] = ["email_address": "buyer@example.com", "payer_id": "SIMULATORPAYER"]
            state.orders[token] = order
            return true
        }
        guard approved else { return SimulatorResponse(status: 404, headers: ["Content-Type": "text/plain"], body: Array("No such order.\n".utf8)) }
        return SimulatorResponse(status: 200, headers: ["Content-Type": "text/plain"],
                                 body: Array("The buyer approved PayPal order \(token) (simulated).\n".utf8))
    }

    func capture(_ id: String, base: String, state: inout State) -> SimulatorResponse {
        guard var order = state.orders[id] else { return Self.notFound(id) }
        switch order["status"] as? String {
        case "APPROVED": break
        case "COMPLETED":
            return Self.error(422, name: "UNPROCESSABLE_ENTITY", message: "The requested action could not be performed.", issue: "ORDER_ALREADY_CAPTURED")
        default:
            return Self.error(422, name: "UNPROCESSABLE_ENTITY", message: "The requested action could not be performed.", issue: "ORDER_NOT_APPROVED")
        }
        guard var units = order["purchase_units"] as? [[String: Any]], var unit = units.first, let amount = unit["amount"] as? [String: Any] else {
            return Self.error(500, name: "INTERNAL_SERVER_ERROR", message: "The order has no amount.", issue: nil)
        }
        let captureID = RandomID.make("", 17, from: RandomID.upper)
        var capture: [String: Any] = [
            "id": captureID, "status": "COMPLETED", "amount": amount, "final_capture": true,
            "create_time": Self.now(), "update_time": Self.now(),
            "links": [["href": "\(base)/v2/payments/captures/\(captureID)", "rel": "self", "method": "GET"]],
            "seller_protection": ["status": "ELIGIBLE"],
            "seller_receivable_breakdown": ["gross_amount": amount, "net_amount": amount],
        ]
        if let custom = unit["custom_id"] { capture["custom_id"] = custom }
        if let invoice = unit["invoice_id"] { capture["invoice_id"] = invoice }
        unit["payments"] = ["captures": [capture]]
        units[0] = unit
        order["purchase_units"] = units
        order["status"] = "COMPLETED"
        state.orders[id] = order
        state.capturesMade += 1
        return .json(201, Self.text(order))
    }

    static func notFound(_ id: String) -> SimulatorResponse {
        error(404, name: "RESOURCE_NOT_FOUND", message: "The specified resource does not exist.", issue: "INVALID_RESOURCE_ID",
              description: "Specified resource ID does not exist. Please check the resource ID and try again.")
    }

    static func error(_ status: Int, name: String, message: String, issue: String?, field: String? = nil, description: String? = nil) -> SimulatorResponse {
        var body: [String: Any] = ["name": name, "message": message, "debug_id": RandomID.make("", 13)]
        if let issue {
            var detail: [String: Any] = ["issue": issue, "description": description ?? issue.lowercased().replacingOccurrences(of: "_", with: " ")]
            if let field { detail["field"] = field; detail["location"] = "body" }
            body["details"] = [detail]
        }
        return .json(status, text(body))
    }

    static func text(_ object: [String: Any]) -> String { String(decoding: SimulatorJSON.encode(object, pretty: false), as: UTF8.self) }

    static func now(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// PayPal's webhooks (https://developer.paypal.com/api/rest/webhooks/event-names/), signed as PayPal
/// signs them with the simulator's key; the webhook function trusts its certificate through PAYPAL_WEBHOOK_CERT.
public struct PayPalWebhookSimulator: WebhookSimulator {
    public let provider = "paypal"
    public var webhookID: String
    public var keys: PayPalSimulatorKeys

    public init(webhookID: String, keys: PayPalSimulatorKeys) {
        self.webhookID = webhookID
        self.keys = keys
    }

    public func deliveries(for scenario: WebhookScenario, payment: SimulatedPayment, now: Date) throws(SimulatorError)
        -> (deliveries: [SimulatedDelivery], expectedStatus: String) {
        let orderID = try payment.requireReference("a PayPal order id")
        let captureID = RandomID.make("", 17, from: RandomID.upper)
        let amount: [String: Any] = ["currency_code": payment.currency.uppercased(), "value": payment.decimalAmount]
        func captureEvent(_ type: String, status: String) throws(SimulatorError) -> SimulatedDelivery {
            try event(type, summary: "Payment \(status.lowercased())", resourceType: "capture", resource: [
                "id": captureID, "status": status, "amount": amount, "final_capture": true,
                "custom_id": payment.paymentId, "invoice_id": payment.orderId,
                "supplementary_data": ["related_ids": ["order_id": orderID]],
                "create_time": PayPalAPISimulator.now(now), "update_time": PayPalAPISimulator.now(now),
            ], now: now)
        }
        let completed = try captureEvent("PAYMENT.CAPTURE.COMPLETED", status: "COMPLETED")
        switch scenario {
        case .succeed:
            return ([completed], "succeeded")
        case .fail:
            return ([try captureEvent("PAYMENT.CAPTURE.DENIED", status: "DECLINED")], "failed")
        case .refund:
            let refund = try event("PAYMENT.CAPTURE.REFUNDED", summary: "A \(payment.decimalAmount) \(payment.currency.uppercased()) capture payment was refunded",
                                   resourceType: "refund", resource: [
                "id": RandomID.make("", 17, from: RandomID.upper), "status": "COMPLETED", "amount": amount,
                "custom_id": payment.paymentId, "invoice_id": payment.orderId,
                "seller_payable_breakdown": ["gross_amount": amount, "net_amount": amount, "total_refunded_amount": amount],
                "create_time": PayPalAPISimulator.now(now),
                "links": [["href": "https://api.paypal.com/v2/payments/captures/\(captureID)", "rel": "up", "method": "GET"]],
            ], now: now)
            return ([completed, refund], "refunded")
        case .dispute:
            let dispute = try event("CUSTOMER.DISPUTE.CREATED", summary: "A new dispute opened with Case # PP-D-\(Int(now.timeIntervalSince1970) % 100_000)",
                                    resourceType: "dispute", resource: [
                "dispute_id": "PP-D-\(Int(now.timeIntervalSince1970) % 100_000)", "reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
                "status": "OPEN", "dispute_amount": amount, "dispute_life_cycle_stage": "INQUIRY",
                "disputed_transactions": [["seller_transaction_id": captureID, "custom": payment.paymentId,
                                           "invoice_number": payment.orderId, "gross_amount": amount]],
                "create_time": PayPalAPISimulator.now(now),
            ], now: now)
            return ([completed, dispute], "disputed")
        case .outOfOrder:
            // The completed capture arrives before the pending one that preceded it.
            return ([completed, try captureEvent("PAYMENT.CAPTURE.PENDING", status: "PENDING")], "succeeded")
        case .duplicate:
            var again = completed
            again.label += " (the same delivery again)"
            return ([completed, again], "succeeded")
        }
    }

    func event(_ type: String, summary: String, resourceType: String, resource: [String: Any], now: Date) throws(SimulatorError) -> SimulatedDelivery {
        let body = SimulatorJSON.encode([
            "id": "WH-" + RandomID.make("", 17, from: RandomID.upper) + "-" + RandomID.make("", 17, from: RandomID.upper),
            "create_time": PayPalAPISimulator.now(now), "resource_type": resourceType, "event_type": type,
            "event_version": "1.0", "resource_version": "2.0", "summary": summary, "resource": resource,
        ], pretty: false)
        do {
            let signed = try PayPalTransmissionSigner.headers(body: body, webhookID: webhookID, key: keys.key,
                                                              transmissionID: UUID().uuidString.lowercased(), time: PayPalAPISimulator.now(now),
                                                              certURL: PayPalSimulatorKeys.certURL)
            return SimulatedDelivery(label: type, headers: [("Content-Type", "application/json"), ("User-Agent", "PayPal/AUHD-214.0-58843047")] + signed, body: body)
        } catch {
            throw SimulatorError("PayPal signature failed: \(error)")
        }
    }
}
