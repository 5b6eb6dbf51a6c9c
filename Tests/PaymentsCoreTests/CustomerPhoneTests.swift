import Foundation
import Testing
import PaymentsCore
import Platform

/// `customerPhone` in the payment request: E.164, never card-like, part of the fingerprint only when given.
@Suite struct CustomerPhoneTests {
    func parse(_ phone: String) throws(Problem) -> PaymentRequest {
        try PaymentRequest.parse(Array(#"{"orderId":"ord_1","amount":2000,"currency":"USD","customerPhone":"\#(phone)"}"#.utf8))
    }

    @Test(arguments: ["+14155550123", "+4917612345678", "+12345678", "+123456789012345"])
    func e164NumbersAreTaken(phone: String) throws {
        #expect(try parse(phone).customerPhone == phone)
    }

    @Test(arguments: ["14155550123", "+1234567", "+1 415 555 0123", "+0415550123", "+1415-555-0123", "+", "++14155550123", "+١٤١٥٥٥٥٠١٢٣"])
    func otherTextIsRefusedNamingTheRule(phone: String) {
        #expect(throws: Problem.self) { try parse(phone) }
        do { _ = try parse(phone) } catch {
            #expect(error.type.hasSuffix("invalid-phone"), "\(error.type)")
            #expect(phone.count < 4 || !error.detail.contains(phone), "the refusal does not echo the value")
        }
    }

    /// Before issue 20 a real number of 13 to 15 digits with a card brand's prefix that passes Luhn
    /// (+49 151 12345678 does) was refused like a card; the issue makes such phones valid, so the
    /// assertion is reversed: a number of valid length for its country is a phone (CardDataCorpusTests
    /// measures this over 20 countries).
    @Test func aLuhnValidGermanMobileIsAPhone() throws {
        #expect(try parse("+4915112345678").customerPhone == "+4915112345678")
    }

    @Test func aCardLikeNumberIsRefusedAsCardData() {
        do {
            _ = try parse("+378282246310005")
            Issue.record("an Amex number was taken as a phone")
        } catch {
            #expect(error.type.hasSuffix("card-data-refused"))
            #expect(!error.detail.contains("378282246310005"))
        }
    }

    @Test func thePhoneIsPartOfTheFingerprintOnlyWhenGiven() throws {
        let usd = Currency(code: "USD")!
        let without = PaymentRequest(orderID: "ord_1", amount: Money(minorUnits: 2000, currency: usd), customerEmail: "a@example.com")
        var with = without
        with.customerPhone = "+14155550123"
        var other = without
        other.customerPhone = "+14155550124"
        #expect(with.fingerprint != without.fingerprint)
        #expect(with.fingerprint != other.fingerprint)
        // Unchanged for a request without a phone: the value it had before the field existed
        // (SHA-256 of "5:ord_14:20003:USD0:13:a@example.com0:", computed independently).
        #expect(without.fingerprint == "582c646b29643d19a4f58a061ca9146073b2f93dbc6d153fa5d0265810ba09e6")
    }

    @Test func theEventCarriesBothContactsAndOmitsAbsentOnes() throws {
        let usd = Currency(code: "USD")!
        let start = Date(timeIntervalSince1970: 1_764_000_000)
        let payment = Payment(id: "pay_1", orderID: "ord_1", provider: "test", amount: Money(minorUnits: 2000, currency: usd),
                              customerEmail: "a@example.com", customerPhone: "+14155550123", createdAt: start)
        let event = PaymentEvent(transition: payment, from: nil, at: start)
        let detail = String(decoding: try event.detailJSON(), as: UTF8.self)
        #expect(detail.contains(#""customerEmail":"a@example.com""#))
        #expect(detail.contains(#""customerPhone":"+14155550123""#))
        #expect(try PaymentEvent(json: event.json()) == event)
        let bare = PaymentEvent(transition: Payment(id: "pay_2", orderID: "ord_2", provider: "test", amount: Money(minorUnits: 1, currency: usd),
                                                    createdAt: start), from: nil, at: start)
        let bareDetail = String(decoding: try bare.detailJSON(), as: UTF8.self)
        #expect(!bareDetail.contains("customer"))
    }
}
