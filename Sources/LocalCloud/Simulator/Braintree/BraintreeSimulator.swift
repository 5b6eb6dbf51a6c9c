import BraintreeProvider
import Foundation
import PaymentsCore
import Platform
import Synchronization

/// Braintree's XML gateway API as `BraintreeGateway` calls it, in memory, behaving like
/// scripts/fake_braintree.py: Basic auth `PUBLIC:PRIVATE` (401), the merchant id in the path (404),
/// `X-ApiVersion` (426); the merchant's accounts (a default one in `currency`); sale transactions
/// with validation errors (91523 type, 81502/81503/81531 amount, 91508/91565 nonce) and the sandbox
/// nonces (`fake-valid-nonce` → submitted_for_settlement, `fake-processor-declined-visa-nonce` →
/// processor_declined, `fake-gateway-rejected-fraud-nonce` → gateway_rejected); transaction search by order id.
/// Braintree has no idempotency key: every sale call makes a transaction.
public final class BraintreeAPISimulator: ProviderAPISimulator {
    public let merchantID: String
    public let publicKey: String?
    public let privateKey: String?
    public let currency: String

    struct Transaction {
        var id: String
        var status: String
        var amount: String
        var orderID: String
        var createdAt: String
        var processorResponse: (code: String, text: String)
        var rejection: String?
    }

    struct State {
        var transactions: [Transaction] = []
    }

    private let state = Mutex(State())

    public init(merchantID: String, publicKey: String? = nil, privateKey: String? = nil, currency: String = "USD") {
        self.merchantID = merchantID
        self.publicKey = publicKey
        self.privateKey = privateKey
        self.currency = currency.uppercased()
    }

    package var transactionsCreated: Int { state.withLock { $0.transactions.count } }
    package func transactionStatus(_ id: String) -> String? { state.withLock { $0.transactions.first { $0.id == id }?.status } }

    public func handle(_ request: SimulatorRequest) -> SimulatorResponse {
        guard let basic = request.header("authorization"), basic.hasPrefix("Basic "),
              let decoded = Data(base64Encoded: String(basic.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
              let colon = decoded.firstIndex(of: ":"),
              case let (user, password) = (String(decoded[..<colon]), String(decoded[decoded.index(after: colon)...])),
              !user.isEmpty, !password.isEmpty, publicKey == nil || publicKey == user, privateKey == nil || privateKey == password
        else { return SimulatorResponse(status: 401) }
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0] == "merchants", parts[1] == merchantID else { return SimulatorResponse(status: 404) }
        guard request.header("x-apiversion") != nil else { return SimulatorResponse(status: 426) }
        let rest = Array(parts.dropFirst(2))
        switch (request.method, rest) {
        case ("GET", ["merchant_accounts"]): return merchantAccounts()
        case ("POST", ["transactions"]): return sale(String(decoding: request.body, as: UTF8.self))
        case ("POST", ["transactions", "advanced_search_ids"]): return searchIDs(String(decoding: request.body, as: UTF8.self))
        case ("POST", ["transactions", "advanced_search"]): return search(String(decoding: request.body, as: UTF8.self))
        default: return SimulatorResponse(status: 404)
        }
    }

    func merchantAccounts() -> SimulatorResponse {
        let other = currency == "EUR" ? "USD" : "EUR"
        return .xml(200, """
            <?xml version="1.0" encoding="UTF-8"?>
            <merchant-accounts type="collection">
              <current-page-number type="integer">1</current-page-number>
              <page-size type="integer">50</page-size>
              <total-items type="integer">2</total-items>
              <merchant-account>
                <id>\(Self.escape(merchantID))_\(other.lowercased())</id>
                <status>active</status>
                <currency-iso-code>\(other)</currency-iso-code>
                <default type="boolean">false</default>
              </merchant-account>
              <merchant-account>
                <id>\(Self.escape(merchantID))</id>
                <status>active</status>
                <currency-iso-code>\(currency)</currency-iso-code>
                <default type="boolean">true</default>
              </merchant-account>
            </merchant-accounts>
            """)
    }

    func sale(_ xml: String) -> SimulatorResponse {
        let type = Self.value("type", in: xml)
        let amount = Self.value("amount", in: xml)
        let nonce = Self.value("payment-method-nonce", in: xml)
        let orderID = Self.value("order-id", in: xml) ?? ""
        let submit = Self.value("submit-for-settlement", in: xml) == "true"
        let params = "<params><transaction><type>\(Self.escape(type ?? ""))</type><amount>\(Self.escape(amount ?? ""))</amount><order-id>\(Self.escape(orderID))</order-id></transaction></params>"
        guard type == "sale" else { return validationError(91523, "type", "Transaction type is invalid.", params) }
        guard let amount, !amount.isEmpty else { return validationError(81502, "amount", "Amount is required.", params) }
        guard let money = Money(decimal: amount, currency: Currency(code: "USD")!), !amount.hasPrefix("-"), !amount.hasPrefix("+") else {
            return validationError(81503, "amount", "Amount is an invalid format.", params)
        }
        guard money.minorUnits > 0 else { return validationError(81531, "amount", "Amount must be greater than zero.", params) }
        guard let nonce, !nonce.isEmpty else { return validationError(91508, "base", "Cannot determine payment method.", params) }
        var transaction = Transaction(id: RandomID.make("", 8, from: Array("abcdefghijklmnopqrstuvwxyz0123456789")),
                                      status: submit ? "submitted_for_settlement" : "authorized", amount: money.decimalString,
                                      orderID: orderID, createdAt: PayPalAPISimulator.now(), processorResponse: ("1000", "Approved"))
        switch nonce {
        case "fake-processor-declined-visa-nonce", "fake-processor-declined-mastercard-nonce":
            transaction.status = "processor_declined"
            transaction.processorResponse = ("2000", "Do Not Honor")
        case "fake-gateway-rejected-fraud-nonce":
            transaction.status = "gateway_rejected"
            transaction.rejection = "fraud"
            transaction.processorResponse = ("", "")
        case _ where nonce.hasPrefix("fake-valid-") && nonce.hasSuffix("nonce"):
            break
        default:
            return validationError(91565, "payment_method_nonce", "Unknown payment_method_nonce.", params)
        }
        state.withLock { $0.transactions.append(transaction) }
        let body = transactionXML(transaction)
        if transaction.status == "processor_declined" || transaction.status == "gateway_rejected" {
            let message = transaction.status == "processor_declined" ? "Do Not Honor" : "Gateway Rejected: fraud"
            return .xml(422, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<api-error-response><errors><errors type=\"array\"/></errors>\(params)<message>\(message)</message>\(body)</api-error-response>")
        }
        return .xml(201, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body)
    }

    func transactionXML(_ transaction: Transaction) -> String {
        var xml = "<transaction><id>\(transaction.id)</id><status>\(transaction.status)</status><type>sale</type>"
        xml += "<currency-iso-code>\(currency)</currency-iso-code><amount>\(transaction.amount)</amount>"
        xml += "<merchant-account-id>\(Self.escape(merchantID))</merchant-account-id><order-id>\(Self.escape(transaction.orderID))</order-id>"
        xml += "<created-at type=\"datetime\">\(transaction.createdAt)</created-at><updated-at type=\"datetime\">\(transaction.createdAt)</updated-at>"
        xml += "<processor-response-code>\(transaction.processorResponse.code)</processor-response-code>"
        xml += "<processor-response-text>\(transaction.processorResponse.text)</processor-response-text>"
        xml += transaction.rejection.map { "<gateway-rejection-reason>\($0)</gateway-rejection-reason>" } ?? "<gateway-rejection-reason nil=\"true\"/>"
        xml += "<payment-instrument-type>credit_card</payment-instrument-type></transaction>"
        return xml
    }

    func matching(_ xml: String) -> [Transaction] {
        let orderID = Self.value("is", in: Self.element("order-id", in: xml) ?? "")
        return state.withLock { state in state.transactions.filter { orderID == nil || $0.orderID == orderID } }
    }

    func searchIDs(_ xml: String) -> SimulatorResponse {
        let items = matching(xml).map { "<item>\($0.id)</item>" }.joined()
        return .xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<search-results><page-size type=\"integer\">50</page-size><ids type=\"array\">\(items)</ids></search-results>")
    }

    func search(_ xml: String) -> SimulatorResponse {
        let ids = Set(Self.values("item", in: Self.element("ids", in: xml) ?? ""))
        let found = matching(xml).filter { ids.contains($0.id) }
        let body = found.map(transactionXML).joined()
        return .xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<credit-card-transactions type=\"collection\"><current-page-number type=\"integer\">1</current-page-number><page-size type=\"integer\">50</page-size><total-items type=\"integer\">\(found.count)</total-items>\(body)</credit-card-transactions>")
    }

    func validationError(_ code: Int, _ attribute: String, _ message: String, _ params: String) -> SimulatorResponse {
        .xml(422, """
            <?xml version="1.0" encoding="UTF-8"?>
            <api-error-response><errors><errors type="array"/><transaction><errors type="array"><error><code>\(code)</code><attribute type="symbol">\(attribute)</attribute><message>\(message)</message></error></errors></transaction></errors>\(params)<message>\(message)</message></api-error-response>
            """)
    }

    // MARK: The little XML the SDKs send (flat elements, dashed or underscored names)

    /// The inner text of the first `<name>` (or `<name_with_underscores>`), entities decoded.
    static func value(_ name: String, in xml: String) -> String? {
        element(name, in: xml).map(unescape)?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func element(_ name: String, in xml: String) -> String? {
        for candidate in [name, name.replacingOccurrences(of: "-", with: "_")] {
            guard let open = xml.range(of: "<\(candidate)>") ?? xml.range(of: "<\(candidate) ") else { continue }
            guard let openEnd = xml[open.upperBound...].firstIndex(of: ">") else { continue }
            let contentStart = xml[open.lowerBound...].hasPrefix("<\(candidate)>") ? open.upperBound : xml.index(after: openEnd)
            guard let close = xml[contentStart...].range(of: "</\(candidate)>") else { return "" }
            return String(xml[contentStart..<close.lowerBound])
        }
        return nil
    }

    static func values(_ name: String, in xml: String) -> [String] {
        var found: [String] = []
        var rest = Substring(xml)
        while let open = rest.range(of: "<\(name)>"), let close = rest[open.upperBound...].range(of: "</\(name)>") {
            found.append(unescape(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Braintree's webhooks (https://developer.paypal.com/braintree/docs/reference/general/webhooks): a form
/// `bt_signature=…&bt_payload=…` whose payload is MIME base64 of a `<notification>`, signed with
/// `BraintreeSignature.signature`, the code the webhook function's check is tested against.
/// Braintree sends no webhook for refunds, so `refund` is refused; `out-of-order` delivers a dispute
/// before the settlement it follows.
public struct BraintreeWebhookSimulator: WebhookSimulator {
    public let provider = "braintree"
    public var publicKey: String
    public var privateKey: String

    public init(publicKey: String, privateKey: String) {
        self.publicKey = publicKey
        self.privateKey = privateKey
    }

    public func deliveries(for scenario: WebhookScenario, payment: SimulatedPayment, now: Date) throws(SimulatorError)
        -> (deliveries: [SimulatedDelivery], expectedStatus: String) {
        let transactionID = try payment.requireReference("a Braintree transaction id")
        let time = PayPalAPISimulator.now(now)
        func transaction(_ kind: String, status: String) -> SimulatedDelivery {
            notification(kind, time: time, subject: """
                <transaction>
                  <id>\(BraintreeAPISimulator.escape(transactionID))</id>
                  <status>\(status)</status>
                  <type>sale</type>
                  <currency-iso-code>\(payment.currency.uppercased())</currency-iso-code>
                  <amount>\(payment.decimalAmount)</amount>
                  <order-id>\(BraintreeAPISimulator.escape(payment.orderId))</order-id>
                  <payment-instrument-type>credit_card</payment-instrument-type>
                </transaction>
                """)
        }
        let disputeID = RandomID.make("", 16, from: Array("abcdefghijklmnopqrstuvwxyz0123456789"))
        func dispute(_ kind: String, status: String) -> SimulatedDelivery {
            notification(kind, time: time, subject: """
                <dispute>
                  <id>\(disputeID)</id>
                  <amount>\(payment.decimalAmount)</amount>
                  <amount-disputed>\(payment.decimalAmount)</amount-disputed>
                  <currency-iso-code>\(payment.currency.uppercased())</currency-iso-code>
                  <kind>chargeback</kind>
                  <reason>fraud</reason>
                  <status>\(status)</status>
                  <created-at type="datetime">\(time)</created-at>
                  <updated-at type="datetime">\(time)</updated-at>
                  <status-history type="array">
                    <status-history>
                      <status>\(status)</status>
                      <timestamp type="datetime">\(time)</timestamp>
                    </status-history>
                  </status-history>
                  <evidence type="array"/>
                  <transaction>
                    <id>\(BraintreeAPISimulator.escape(transactionID))</id>
                    <amount>\(payment.decimalAmount)</amount>
                    <order-id>\(BraintreeAPISimulator.escape(payment.orderId))</order-id>
                  </transaction>
                </dispute>
                """)
        }
        let settled = transaction("transaction_settled", status: "settled")
        switch scenario {
        case .succeed:
            return ([settled], "succeeded")
        case .fail:
            return ([transaction("transaction_settlement_declined", status: "settlement_declined")], "failed")
        case .refund:
            throw SimulatorError("Braintree sends no webhook for refunds (a refund is a transaction of its own, seen through the API); try succeed, fail, dispute, out-of-order or duplicate.")
        case .dispute:
            return ([settled, dispute("dispute_opened", status: "open")], "disputed")
        case .outOfOrder:
            // The dispute arrives before the settlement it follows; the late settlement changes nothing.
            return ([dispute("dispute_opened", status: "open"), settled], "disputed")
        case .duplicate:
            var again = settled
            again.label += " (the same delivery again)"
            return ([settled, again], "succeeded")
        }
    }

    func notification(_ kind: String, time: String, subject: String) -> SimulatedDelivery {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <notification>
              <timestamp type="datetime">\(time)</timestamp>
              <kind>\(kind)</kind>
              <subject>
            \(subject)
              </subject>
            </notification>

            """
        // MIME base64 as Braintree posts it: a newline after every 76 characters and after the last line.
        let payload = Data(xml.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]) + "\n"
        let signature = BraintreeSignature.signature(payload: payload, publicKey: publicKey, privateKey: privateKey)
        let body = FormURLEncoding.encode([("bt_signature", signature), ("bt_payload", payload)])
        return SimulatedDelivery(label: kind, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
    }
}
