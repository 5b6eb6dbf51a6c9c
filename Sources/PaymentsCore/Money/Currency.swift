/// An ISO 4217 currency with its minor-unit exponent (JPY 0, USD 2, KWD 3).
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// Upper-case three-letter code, e.g. "USD".
    public let code: String
    /// Digits after the decimal point: the amount 1234 in a currency with exponent 2 is 12.34.
    public let exponent: Int

    /// Accepts the code in any case ("usd", as some providers write it, or "USD"); nil for codes ISO 4217 does not list.
    public init?(code: String) {
        let upper = code.uppercased()
        guard upper.utf8.count == 3, let exponent = Currency.exponents[upper] else { return nil }
        self.code = upper
        self.exponent = exponent
    }

    public var description: String { code }

    // Active ISO 4217 codes. Most have two minor digits; the exceptions are listed by exponent.
    private static let twoDigit = """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD \
        CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD \
        HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD \
        MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON \
        RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD \
        TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWL
        """
    private static let zeroDigit = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
    private static let threeDigit = "BHD IQD JOD KWD LYD OMR TND"

    private static let exponents: [String: Int] = {
        var table: [String: Int] = [:]
        for (list, exponent) in [(twoDigit, 2), (zeroDigit, 0), (threeDigit, 3)] {
            for code in list.split(separator: " ") { table[String(code)] = exponent }
        }
        return table
    }()
}
