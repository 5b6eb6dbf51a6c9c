import Foundation
import Testing
import PaymentsCore
import Platform

/// Card numbers are found wherever they hide; ordinary ids, phone numbers and dates are not mistaken for them.
@Suite struct CardDataTests {
    @Test(arguments: [
        "4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242", "4242.4242.4242.4242", "pay with 4242424242424242 exp 12/30",
        "ref:5555555555554444;", "378282246310005", "3782 822463 10005", "30569309025904", "6011111111111117", "3530111333300000",
        "6200000000000005", "2223003122003222", "4000056655665556", "4242 4242 4242 4242 12 30", "4242 - 4242 - 4242 - 4242",
        "４２４２４２４２４２４２４２４２", "card\u{00A0}4242\u{00A0}4242\u{00A0}4242\u{00A0}4242", "4222222222222", "4111111111111111110",
        // A card number beside a UUID, or shaped almost like one, is still found.
        "550e8400-e29b-41d4-a716-446655440000 4242424242424242", "61120485-8906-4600-a990", "61120485-8906-4600-a990-6b0bf9b0cd091",
        // Issue 20's bypasses: glued to letters, other separators, invisible characters, wide gaps.
        "VISA4111111111111111", "4111111111111111exp1225", "4111/1111/1111/1111", "4111+1111+1111+1111", "{4111}{1111}{1111}{1111}",
        "4111\u{200B}1111\u{200B}1111\u{200B}1111", "4\u{00AD}111111111111111", "4111\u{2060}111111111111", "4111     1111     1111     1111",
        // What the exclusions leave alone: a '+' inside a number, a phone-shaped start with more after it, a card after an IBAN.
        // A 13-digit Visa number that is also a valid EAN-13 (the corpus found it): invisible characters excuse nothing.
        "4095\u{200B}604\u{200B}803\u{200B}672", "4\u{0332}095604803672", "+4915 1234 5678 9011", "DE89 3704 0044 0532 0130 00 4242424242424242", "ord_4242 4242 4242 4242", "VISA_4242424242424242",
    ])
    func cardNumbersAreFound(text: String) {
        #expect(CardData.containsCardNumber(text))
    }

    @Test(arguments: [
        "ord_1001", "order 2024-11-25", "+1 415 555 2671", "1764000000000", "pay_0123456789abcdef", "4242424242424241",
        "1234567890123456", "9999999999999999", "123456789012", "42424242424242424242424", "550e8400-e29b-41d4-a716-446655440000",
        "12/30", "1234 5678 9012 3456 7890", "0000000000000000", "4242424242424242".replacingOccurrences(of: "2", with: "x"),
        // UUIDv4s that the rule without its word and UUID exceptions refused (seen as Idempotency-Keys):
        "80ea804f-26a1-4f79-b228-8394819923d2", "ff967680-cb80-4485-8959-436246fbcc45", "61120485-8906-4600-a990-6b0bf9b0cd09",
        "49285751-1185-4792-A7AB-9805D65F7C50", "key 40126777-5105-4126-9800-699367b2f214.", "b228-8394819923d2",
        // Issue 20's false alarms: phones, barcodes, IBANs, order ids.
        "+4915112345678", "+55 11 91234-5678", "EAN 4006381333931", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000",
        "GB29 NWBK 6016 1331 9268 19", "112-4242424-4242424", "ord_4242424242424242", "Order #4242424242424242",
    ])
    func ordinaryTextIsNotACardNumber(text: String) {
        #expect(!CardData.containsCardNumber(text))
    }

    /// The README tells clients to send a UUID as the Idempotency-Key: none may be refused as card data.
    @Test func noRandomUUIDIsCardData() {
        for _ in 0..<20_000 {
            let key = UUID().uuidString
            #expect(!CardData.containsCardNumber(key), "\(key)")
            #expect(!CardData.containsCardNumber(key.lowercased()), "\(key)")
        }
    }

    @Test func cardNamesAreRecognisedInTheirCommonSpellings() {
        // `cc` and `number` were refused here before issue 20, which names them (with `cid`, `exp` and
        // `giftCardNote`) as false alarms: names match whole, not by fragment.
        for name in ["cardNumber", "card_number", "card-number", "CreditCardNumber", "CVV", "cvc2", "exp_month", "expiryDate",
                     "security_code", "pan", "customerCardNumber", "card_cvc", "magstripe", "cvv", "cvc", "expiry", "Card Number",
                     "card.number", "billing_card_number", "payerCvv", "CARD_NUMBER"] {
            #expect(CardData.isCardFieldName(name), "\(name)")
        }
        for name in ["orderId", "description", "phoneNumber", "orderNumber", "customerEmail", "company", "expiresAt", "accent",
                     "cid", "cc", "number", "exp", "giftCardNote", "Number", "giftCardMessage", "panel", "japan", "expense", "cardinality",
                     "discardNote", "accountNumber", "cvvNote", "ccEmail"] {
            #expect(!CardData.isCardFieldName(name), "\(name)")
        }
    }

    @Test func theLocationNamesTheFieldAndNeverTheNumber() throws {
        let body = try JSONValue(parsing: #"{"orderId":"o","items":[{"sku":"a"},{"note":"4242424242424242"}],"z":{"4242424242424242":1}}"#)
        #expect(CardData.location(in: body) == "'items[1].note'")
        let key = try JSONValue(parsing: #"{"orderId":"o","meta":{"4242424242424242":1}}"#)
        #expect(CardData.location(in: key) == "a key of 'meta'")
        #expect(CardData.location(in: try JSONValue(parsing: #"{"payer":{"CVV":"1"}}"#)) == "'payer.CVV'")
        #expect(CardData.location(in: try JSONValue(parsing: #"{"orderId":"o","amount":2000}"#)) == nil)
    }
}
