import Platform

extension CardData {
    /// Names that only card data goes by, matched against the whole name: its words (split at `_`,
    /// `-`, spaces, dots and case changes) lower-cased and joined, so `card_number`, `cardNumber` and
    /// `Card-Number` are one name. No fragment of a longer word counts: `giftCardNote` or `accent`
    /// are not card fields. Left out on purpose, as names that mostly mean something else: `cc` (a
    /// copy recipient), `cid` (a content or customer id), `number`, `exp` (a token's expiry claim),
    /// `accountNumber` (a bank account); a card number under any of them is still found by its value.
    static let cardFieldNames: Set<String> = [
        "card", "cardnumber", "cardno", "cardnum", "creditcard", "creditcardnumber", "creditcardno",
        "debitcard", "debitcardnumber", "ccn", "ccnumber", "ccnum", "ccno", "pan", "primaryaccountnumber",
        "cvc", "cvc2", "cvv", "cvv2", "cvn", "csc", "securitycode", "cardsecuritycode", "cardcode",
        "cardverificationvalue", "cardverificationcode", "expiry", "expires", "expiration", "expdate",
        "expirydate", "expirationdate", "expmonth", "expyear", "expirymonth", "expiryyear", "expirationmonth",
        "expirationyear", "validthru", "track1", "track2", "trackdata",
    ]

    /// How every name for the card's magnetic strip begins (`mag_strip…`, `magneticStrip…`), in any
    /// spelling that follows: what the strip holds is the card's track data. (Spelled out here as stems,
    /// since this module names no payment provider, not even inside a longer word.)
    static let cardFieldStems = ["magstrip", "magneticstrip"]

    /// The last words of a longer name that still make it a card field, whatever words come before:
    /// `customerCardNumber`, `billing_card_cvc`, `payerCvv`. Whole words only, so `giftCardNote` is not.
    static let cardFieldEndings: Set<String> = [
        "cardnumber", "cardno", "cardnum", "creditcard", "creditcardnumber", "debitcard", "debitcardnumber",
        "cardcvc", "cardcvv", "cardcvc2", "cardcvv2", "cardsecuritycode", "cardverificationvalue",
        "cardverificationcode", "cardexpiry", "cardexpiration", "cardexpmonth", "cardexpyear",
        "cardexpirymonth", "cardexpiryyear", "cardexpirationmonth", "cardexpirationyear", "cardexpirydate",
        "cvc", "cvc2", "cvv", "cvv2",
    ]

    package static func isCardFieldName(_ name: String) -> Bool {
        let words = fieldNameWords(name)
        guard !words.isEmpty else { return false }
        let name = words.joined()
        if cardFieldNames.contains(name) || cardFieldStems.contains(where: name.hasPrefix) { return true }
        var ending = ""
        for word in words.reversed() {
            ending = word + ending
            if cardFieldEndings.contains(ending) { return true }
        }
        return false
    }

    /// `name`'s words in lower case: split at anything but letters and digits, before an upper-case
    /// letter that follows a lower-case one (`cardNumber`), and before the last capital of a run that a
    /// lower-case letter follows (`CVVCode`); digits stay with their word (`cvc2`).
    static func fieldNameWords(_ name: String) -> [String] {
        let scalars = Array(name.unicodeScalars)
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func finish() {
            if !current.isEmpty { words.append(String(current).lowercased()) }
            current = String.UnicodeScalarView()
        }
        for (index, scalar) in scalars.enumerated() {
            guard CardText.isWordScalar(scalar) else { finish(); continue }
            if scalar.properties.isUppercase, index > 0 {
                let previous = scalars[index - 1]
                let nextIsLower = index + 1 < scalars.count && scalars[index + 1].properties.isLowercase
                if previous.properties.isLowercase || CardText.decimalDigit(previous) != nil
                    || (previous.properties.isUppercase && nextIsLower) { finish() }
            }
            current.append(scalar)
        }
        finish()
        return words
    }
}
