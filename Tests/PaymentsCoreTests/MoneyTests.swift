import Testing
import PaymentsCore
import Platform

@Suite struct MoneyTests {
    @Test func currenciesCarryTheirISOExponent() throws {
        #expect(try #require(Currency(code: "JPY")).exponent == 0)
        #expect(try #require(Currency(code: "usd")).exponent == 2)
        #expect(try #require(Currency(code: "KWD")).exponent == 3)
        #expect(try #require(Currency(code: "eur")).code == "EUR")
    }

    @Test(arguments: ["", "US", "USDX", "XXX", "ABC", "12$", "usd "])
    func unknownCurrenciesAreRefused(code: String) {
        #expect(Currency(code: code) == nil)
    }

    @Test func decimalStringsUseTheCurrencyExponent() throws {
        let usd = try #require(Currency(code: "USD")), jpy = try #require(Currency(code: "JPY")), kwd = try #require(Currency(code: "KWD"))
        #expect(Money(minorUnits: 1234, currency: usd).decimalString == "12.34")
        #expect(Money(minorUnits: 5, currency: usd).decimalString == "0.05")
        #expect(Money(minorUnits: 500, currency: jpy).decimalString == "500")
        #expect(Money(minorUnits: 1, currency: kwd).decimalString == "0.001")
        #expect(Money(minorUnits: 20000, currency: kwd).decimalString == "20.000")
    }

    @Test func decimalStringsParseExactly() throws {
        let usd = try #require(Currency(code: "USD")), jpy = try #require(Currency(code: "JPY"))
        #expect(Money(decimal: "20.00", currency: usd)?.minorUnits == 2000)
        #expect(Money(decimal: "20.5", currency: usd)?.minorUnits == 2050)
        #expect(Money(decimal: "20", currency: usd)?.minorUnits == 2000)
        #expect(Money(decimal: "1000", currency: jpy)?.minorUnits == 1000)
        for bad in ["20.001", "", ".5", "20.", "-1.00", "1e3", "2 0", "0x10"] {
            #expect(Money(decimal: bad, currency: usd) == nil, "\(bad)")
        }
        // A fraction the currency does not have is refused, even a zero one.
        #expect(Money(decimal: "10.0", currency: jpy) == nil)
        #expect(Money(decimal: "10.000", currency: usd) == nil)
    }

    @Test func decimalRoundTripsForEveryExponent() throws {
        for code in ["JPY", "USD", "KWD"] {
            let currency = try #require(Currency(code: code))
            for units in [0, 1, 9, 10, 99, 100, 12345, 99_999_999_999] {
                let money = Money(minorUnits: units, currency: currency)
                #expect(Money(decimal: money.decimalString, currency: currency) == money)
            }
        }
    }
}
