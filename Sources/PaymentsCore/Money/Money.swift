import Platform

/// An amount of money: integer minor units and a currency. Never a floating-point number.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public let minorUnits: Int
    public let currency: Currency

    public init(minorUnits: Int, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Parses a provider's decimal string ("20.00", "1000", "1.234") exactly, with no more digits than the currency has.
    public init?(decimal text: String, currency: Currency) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), whole.count <= 15 else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy(\.isASCIIDigit), fraction.count <= currency.exponent else { return nil }
        if parts.count == 2, fraction.isEmpty { return nil }
        fraction += String(repeating: "0", count: currency.exponent - fraction.count)
        guard let units = Int(whole + fraction) else { return nil }
        self.init(minorUnits: units, currency: currency)
    }

    /// The amount as the decimal string some provider APIs expect: 1234 USD → "12.34", 500 JPY → "500".
    public var decimalString: String {
        let exponent = currency.exponent
        let digits = String(minorUnits.magnitude)
        let sign = minorUnits < 0 ? "-" : ""
        guard exponent > 0 else { return sign + digits }
        let padded = String(repeating: "0", count: max(0, exponent + 1 - digits.count)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -exponent)
        return sign + padded[..<split] + "." + padded[split...]
    }

    public var description: String { "\(decimalString) \(currency.code)" }
}
