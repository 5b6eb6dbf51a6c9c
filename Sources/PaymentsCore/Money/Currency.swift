import Platform

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

    /// The largest amount a payment request may ask for, in minor units: ten million units of the
    /// currency (USD 10,000,000.00, EUR the same), or ten billion for currencies whose unit is worth
    /// under about two US cents (JPY, KRW, IDR, VND...). No shop's single order comes near it; a
    /// larger number is a client's mistake (cents sent as micros, a timestamp in the wrong field).
    package var maximumMinorUnits: Int {
        let majorUnits = Currency.smallUnit.contains(code) ? 10_000_000_000 : 10_000_000
        var result = majorUnits
        for _ in 0..<exponent { result *= 10 }
        return result
    }

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

    // Currencies whose unit is worth under about two US cents (2025 rates, with margin): orders in
    // them run to many more units.
    private static let smallUnit: Set<String> = Set("""
        AMD AOA ARS BIF CDF CLP COP CRC DJF DZD GNF HUF IDR IQD IRR ISK JPY KES KHR KMF KPW KRW KZT LAK \
        LBP LKR MGA MMK MNT MWK NGN NPR PKR PYG RSD RWF SDG SOS SSP SYP TZS UGX UYI UZS VES VND VUV XAF \
        XOF XPF YER ZWL
        """.split(separator: " ").map(String.init))

    private static let exponents: [String: Int] = {
        var table: [String: Int] = [:]
        for (list, exponent) in [(twoDigit, 2), (zeroDigit, 0), (threeDigit, 3)] {
            for code in list.split(separator: " ") { table[String(code)] = exponent }
        }
        return table
    }()
}
