#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
import Synchronization

/// Creates Braintree sale transactions through Braintree's XML gateway API.
///
/// Why XML and not Braintree's GraphQL API: XML is what the official server SDKs (Python, Ruby, Java,
/// PHP, Node, .NET) speak for transactions, so every element name and answer shape used here can be
/// checked against their source; the webhook payloads are the same XML (a `<transaction>` inside a
/// `<notification>`), so one small, strict parser (`SafeXML`) serves both functions; and the
/// transaction search used to resume an interrupted attempt is the same API the SDKs use.
///
/// Requests, as the SDKs send them: `POST {base}/merchants/{merchant}/transactions` with Basic auth
/// `public_key:private_key`, `Content-Type`/`Accept: application/xml`, `X-ApiVersion: 6`, and
/// `<transaction><type>sale</type><amount>12.34</amount><payment-method-nonce>…</payment-method-nonce>
/// <order-id>…</order-id><options><submit-for-settlement type="boolean">true</submit-for-settlement></options></transaction>`.
/// (The Ruby and Java SDKs write dashed names as here; the Python SDK writes underscores; the gateway takes both.)
///
/// Currency: a Braintree transaction has no currency field. Its currency is the currency of the merchant
/// account it is made on, here the merchant's default account (no `merchant-account-id` is sent).
/// So the request's currency must equal that account's currency. `validate` checks it before anything
/// is stored: it reads the merchant's accounts once per process (`GET {base}/merchants/{merchant}/merchant_accounts/?page=1`,
/// as the SDK's `merchant_account.all()` does), finds the default one, and refuses another currency with 422.
/// If that lookup cannot tell, the answer is checked instead: a transaction whose `<currency-iso-code>`
/// differs from the request's is never reported as the payment (it is refused as `currency_mismatch`).
public struct BraintreeGateway: PaymentGateway {
    public let provider = "braintree"
    public var merchantID: String
    public var publicKey: String
    public var privateKey: String
    public var apiBase: String
    public var client: any HTTPClient
    /// The default merchant account's currency, read once per process.
    let merchantCurrency = CurrencyCache()

    public static let apiVersion = "6"

    public init(merchantID: String, publicKey: String, privateKey: String,
                apiBase: String = "https://api.braintreegateway.com", client: any HTTPClient) {
        self.merchantID = merchantID
        self.publicKey = publicKey
        self.privateKey = privateKey
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        self.client = client
    }

    var merchantPath: String { "\(apiBase)/merchants/\(FormURLEncoding.escape(merchantID))" }

    // MARK: Validation

    public func validate(_ request: PaymentRequest) throws(Problem) {
        guard let nonce = request.paymentMethod, !nonce.isEmpty else {
            throw .unprocessable("missing-payment-method", "'paymentMethod' is required for Braintree: the paymentMethodNonce from Braintree's client SDK (Drop-in or Hosted Fields).")
        }
        let currency: String?
        do {
            currency = try defaultMerchantCurrency()
        } catch {
            switch error {
            case .misconfigured:
                throw Problem(status: 502, slug: "provider-misconfigured", title: "Provider misconfigured",
                              detail: "braintree refused this service's credentials or configuration; an operator must fix it.")
            default:
                throw Problem(status: 502, slug: "provider-unavailable", title: "Provider unavailable",
                              detail: "braintree could not be reached to check the merchant account's currency. Retry with the same Idempotency-Key.")
            }
        }
        if let currency, currency != request.amount.currency.code {
            throw .unprocessable("currency-not-supported", "This Braintree merchant account charges in \(currency); '\(request.amount.currency.code)' cannot be taken here.")
        }
    }

    /// The default merchant account's currency; nil when Braintree's list does not say (the answer is checked instead).
    func defaultMerchantCurrency() throws(GatewayError) -> String? {
        if let cached = merchantCurrency.value { return cached }
        let response = try send(HTTPRequest(method: "GET", url: "\(merchantPath)/merchant_accounts/?page=1", headers: headers(),
                                             timeout: 10, isIdempotent: true))
        guard (200...299).contains(response.status) else { throw Self.error(for: response) }
        guard let root = try? SafeXML.parse(response.body), root.name == "merchant-accounts" else {
            throw .unavailable("Braintree answered \(response.status) with a body that is not a merchant account list")
        }
        let accounts = root.children("merchant-account")
        guard let account = accounts.first(where: { $0.value(at: "default") == "true" }),
              let code = account.value(at: "currency-iso-code").flatMap({ Currency(code: $0) })?.code else { return nil }
        merchantCurrency.value = code
        return code
    }

    // MARK: Creating the sale

    public func create(_ payment: Payment, request: PaymentRequest, idempotencyKey: String, attempt: CreateAttempt) throws(GatewayError) -> GatewayPayment {
        if attempt == .resumed, let earlier = try findEarlierSale(for: payment) {
            return earlier
        }
        guard let nonce = request.paymentMethod else { throw .rejected(code: "missing_payment_method", message: "A Braintree paymentMethodNonce is required.") }
        let response = try send(HTTPRequest(
            method: "POST", url: "\(merchantPath)/transactions", headers: headers(),
            body: Array(Self.saleXML(payment: payment, nonce: nonce).utf8),
            timeout: 30,
            isIdempotent: false  // Braintree has no idempotency key: a blind retry could charge twice
        ))
        return try interpret(response, expected: payment.amount)
    }

    /// The request body of a sale, every value escaped.
    static func saleXML(payment: Payment, nonce: String) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<transaction>"
        xml += "<type>sale</type>"
        xml += "<amount>\(payment.amount.decimalString)</amount>"
        xml += "<payment-method-nonce>\(SafeXML.escape(nonce))</payment-method-nonce>"
        xml += "<order-id>\(SafeXML.escape(payment.orderID))</order-id>"
        xml += "<options><submit-for-settlement type=\"boolean\">true</submit-for-settlement></options>"
        // No <custom-fields>: Braintree refuses custom fields not configured in its control panel.
        xml += "</transaction>"
        return xml
    }

    /// For a resumed attempt: the sale an earlier, unanswered call may have created, found by our order id.
    /// The SDK's search is two calls: `advanced_search_ids` (ids matching the criteria), then
    /// `advanced_search` (the transactions for those ids). A match must also be a sale of the same amount and currency.
    func findEarlierSale(for payment: Payment) throws(GatewayError) -> GatewayPayment? {
        let criteria = "<order-id><is>\(SafeXML.escape(payment.orderID))</is></order-id>"
        let idsResponse = try send(HTTPRequest(
            method: "POST", url: "\(merchantPath)/transactions/advanced_search_ids", headers: headers(),
            body: Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<search>\(criteria)</search>".utf8),
            timeout: 20, isIdempotent: true  // a search changes nothing
        ))
        guard (200...299).contains(idsResponse.status) else { throw Self.error(for: idsResponse) }
        guard let idsRoot = try? SafeXML.parse(idsResponse.body), idsRoot.name == "search-results", let idList = idsRoot.child("ids") else {
            throw .unavailable("Braintree's transaction search answered without search results")
        }
        let ids = idList.children("item").map(\.trimmedText).filter { !$0.isEmpty }
        guard !ids.isEmpty else { return nil }

        let items = ids.prefix(50).map { "<item>\(SafeXML.escape($0))</item>" }.joined()
        let fetched = try send(HTTPRequest(
            method: "POST", url: "\(merchantPath)/transactions/advanced_search", headers: headers(),
            body: Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<search>\(criteria)<ids type=\"array\">\(items)</ids></search>".utf8),
            timeout: 20, isIdempotent: true
        ))
        guard (200...299).contains(fetched.status) else { throw Self.error(for: fetched) }
        guard let root = try? SafeXML.parse(fetched.body), root.name == "credit-card-transactions" else {
            throw .unavailable("Braintree's transaction search answered without transactions")
        }
        let amount = payment.amount
        let match = root.children("transaction").first { transaction in
            transaction.value(at: "order-id") == payment.orderID
                && transaction.value(at: "type") == "sale"
                && transaction.value(at: "currency-iso-code").flatMap { Currency(code: $0) } == amount.currency
                && transaction.value(at: "amount").flatMap { Money(decimal: $0, currency: amount.currency) } == amount
                && Self.progress(ofStatus: transaction.value(at: "status") ?? "") != nil
        }
        guard let match else { return nil }
        return try Self.payment(from: match, expected: amount)
    }

    // MARK: Answers

    func interpret(_ response: HTTPResponse, expected: Money) throws(GatewayError) -> GatewayPayment {
        guard (200...299).contains(response.status) || response.status == 422 else { throw Self.error(for: response) }
        let root: SafeXML.Element
        do {
            root = try SafeXML.parse(response.body)
        } catch {
            throw .unavailable("Braintree answered \(response.status) with a body that is not acceptable XML")
        }
        switch root.name {
        case "transaction":
            return try Self.payment(from: root, expected: expected)
        case "api-error-response":
            // A transaction in the error response means it was made and refused (processor declined, gateway rejected).
            if let transaction = root.child("transaction") {
                _ = try Self.payment(from: transaction, expected: expected)
                throw .declined(code: transaction.value(at: "status") ?? "declined", message: root.value(at: "message") ?? "Declined")
            }
            let error = Self.firstValidationError(in: root.child("errors"))
            throw .rejected(code: error?.value(at: "code") ?? "validation_error",
                            message: error?.value(at: "message") ?? root.value(at: "message") ?? "Braintree refused the request")
        default:
            throw .unavailable("Braintree answered \(response.status) with <\(root.name)>")
        }
    }

    /// A `<transaction>` as our answer; declined statuses throw.
    static func payment(from transaction: SafeXML.Element, expected: Money) throws(GatewayError) -> GatewayPayment {
        guard let id = transaction.value(at: "id"), let status = transaction.value(at: "status") else {
            throw .unavailable("Braintree's transaction has no id or status")
        }
        if let code = transaction.value(at: "currency-iso-code"), Currency(code: code) != expected.currency {
            throw .rejected(code: "currency_mismatch", message: "Braintree made transaction \(id) in \(code), not \(expected.currency.code): the merchant account's currency differs from the request's.")
        }
        switch status {
        case "processor_declined", "gateway_rejected", "failed", "settlement_declined", "voided":
            let reason = transaction.value(at: "processor-response-text") ?? transaction.value(at: "gateway-rejection-reason") ?? status
            throw .declined(code: transaction.value(at: "processor-response-code") ?? status, message: reason)
        default:
            guard let progress = progress(ofStatus: status) else {
                throw .unavailable("Braintree's transaction \(id) has status '\(status)' this service does not know")
            }
            return GatewayPayment(reference: id, progress: progress)
        }
    }

    /// Braintree transaction statuses that mean the sale stands; nil for the refused ones and unknown ones.
    static func progress(ofStatus status: String) -> PaymentState.Progress? {
        switch status {
        case "authorized", "authorizing", "submitted_for_settlement", "settling", "settlement_pending", "settlement_confirmed": .processing
        case "settled": .succeeded
        default: nil
        }
    }

    /// The first `<error>` anywhere under `<errors>` (errors nest by the params they concern).
    static func firstValidationError(in errors: SafeXML.Element?) -> SafeXML.Element? {
        guard let errors else { return nil }
        if errors.name == "error", errors.value(at: "code") != nil { return errors }
        for child in errors.children {
            if let found = firstValidationError(in: child) { return found }
        }
        return nil
    }

    static func error(for response: HTTPResponse) -> GatewayError {
        switch response.status {
        case 401, 403: .misconfigured("Braintree answered \(response.status)")
        case 404: .misconfigured("Braintree answered 404: check BRAINTREE_MERCHANT_ID and BRAINTREE_API_BASE")
        case 426: .misconfigured("Braintree answered 426: the API version is no longer supported")
        case 429, 500...599: .unavailable("Braintree answered \(response.status)")
        case 400...499: .rejected(code: "http_\(response.status)", message: "Braintree answered \(response.status)")
        default: .unavailable("Braintree answered \(response.status)")
        }
    }

    // MARK: HTTP

    func headers() -> [(name: String, value: String)] {
        let credentials = Data("\(publicKey):\(privateKey)".utf8).base64EncodedString()
        return [
            ("Authorization", "Basic \(credentials)"),
            ("Content-Type", "application/xml"),
            ("Accept", "application/xml"),
            ("X-ApiVersion", Self.apiVersion),
        ]
    }

    func send(_ request: HTTPRequest) throws(GatewayError) -> HTTPResponse {
        do {
            return try client.send(request)
        } catch {
            throw .unavailable(String(describing: error))
        }
    }
}

/// A value read once per process and shared by every invocation.
final class CurrencyCache: Sendable {
    private let storage = Mutex<String?>(nil)
    var value: String? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
