#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// PayPal's error object (https://developer.paypal.com/api/rest/responses/#link-failedrequests).
struct PayPalErrorBody: Decodable {
    struct Detail: Decodable { var issue: String?; var description: String?; var field: String? }
    var name: String?
    var message: String?
    var details: [Detail]?

    static func parse(_ body: [UInt8]) -> PayPalErrorBody? {
        try? JSONDecoder().decode(PayPalErrorBody.self, from: Data(body))
    }

    /// The most specific code: the first detail's issue, else the error's name.
    var code: String? { details?.first?.issue ?? name }
    var text: String? { details?.first?.description ?? message }
}

struct PayPalLink: Decodable {
    var href: String
    var rel: String
}

struct PayPalAmount: Codable {
    var currency_code: String
    var value: String
}

extension JSONValue {
    func path(_ keys: String...) -> JSONValue? {
        var current: JSONValue? = self
        for key in keys { current = current?[key] }
        return current
    }

    var array: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// A PayPal money object ({currency_code, value}) as minor units, or nil if it is not one.
    var money: Money? {
        guard let code = self["currency_code"]?.string, let currency = Currency(code: code),
              let value = self["value"]?.string else { return nil }
        return Money(decimal: value, currency: currency)
    }
}
