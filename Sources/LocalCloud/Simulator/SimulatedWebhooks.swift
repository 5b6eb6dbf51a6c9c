import Foundation
import PaymentsCore
import Platform

/// The payment a webhook scenario is about, as `GET /payments/{id}` answers (`ShownPayment`: `id`;
/// `CreatedPayment`, the create answer, says `paymentId`).
public struct SimulatedPayment: Decodable, Sendable, Equatable {
    public var paymentId: String
    public var orderId: String
    public var provider: String
    public var providerReference: String?
    public var status: String
    public var amount: Int
    public var currency: String

    public init(paymentId: String, orderId: String, provider: String, providerReference: String?, status: String = "pending",
                amount: Int, currency: String) {
        self.paymentId = paymentId
        self.orderId = orderId
        self.provider = provider
        self.providerReference = providerReference
        self.status = status
        self.amount = amount
        self.currency = currency
    }

    enum CodingKeys: String, CodingKey { case id, paymentId, orderId, provider, providerReference, status, amount, currency }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        paymentId = try container.decodeIfPresent(String.self, forKey: .id) ?? container.decode(String.self, forKey: .paymentId)
        orderId = try container.decode(String.self, forKey: .orderId)
        provider = try container.decode(String.self, forKey: .provider)
        providerReference = try container.decodeIfPresent(String.self, forKey: .providerReference)
        status = try container.decode(String.self, forKey: .status)
        amount = try container.decode(Int.self, forKey: .amount)
        currency = try container.decode(String.self, forKey: .currency)
    }
}

/// What `payments simulate PROVIDER send SCENARIO` plays.
public enum WebhookScenario: String, CaseIterable, Sendable {
    case succeed, fail, refund, dispute
    case outOfOrder = "out-of-order"
    case duplicate
}

/// One signed webhook delivery, ready to POST to `/webhooks/{provider}`.
public struct SimulatedDelivery: Sendable {
    /// The provider's event type (and a note for duplicates), for the operator.
    public var label: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(label: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.label = label
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
}

/// Why a scenario cannot be played.
public struct SimulatorError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A provider's side of the webhooks: the deliveries one scenario makes for one payment, signed.
public protocol WebhookSimulator: Sendable {
    var provider: String { get }
    /// The deliveries in the order the provider would send them for `scenario`, and the status the
    /// payment must end in once the webhook function has applied them all.
    func deliveries(for scenario: WebhookScenario, payment: SimulatedPayment, now: Date) throws(SimulatorError)
        -> (deliveries: [SimulatedDelivery], expectedStatus: String)
}

enum SimulatorJSON {
    /// Sorted keys, 2-space indent, UTF-8: stable bytes for the signature.
    static func encode(_ object: [String: Any], pretty: Bool = true) -> [UInt8] {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: options)) ?? Data("{}".utf8))
    }

    static func parse(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }
}

/// A JSON null where there is no value.
func orNull(_ value: String?) -> Any { value.map { $0 as Any } ?? NSNull() }

enum RandomID {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    static func make(_ prefix: String, _ count: Int = 24, from characters: [Character] = alphabet) -> String {
        prefix + String((0..<count).map { _ in characters.randomElement()! })
    }
}

extension SimulatedPayment {
    func requireReference(_ what: String) throws(SimulatorError) -> String {
        guard let reference = providerReference, !reference.isEmpty else {
            throw SimulatorError("Payment \(paymentId) has no provider reference (\(what)) yet: the \(provider) payment function has not heard back from \(provider). Create it against `payments simulate \(provider) api`.")
        }
        return reference
    }

    /// "20.00" for 2000 USD; "500" for 500 JPY.
    var decimalAmount: String {
        guard let currency = Currency(code: currency.uppercased()) else { return String(amount) }
        return Money(minorUnits: amount, currency: currency).decimalString
    }
}
