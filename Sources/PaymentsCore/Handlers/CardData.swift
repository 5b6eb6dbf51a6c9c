import Platform

/// Recognises card data wherever a client may have put it, so that it is refused before anything is
/// stored, sent to a provider, published or logged.
///
/// A card number is a brand's number at one of its issued lengths (`CardBrands`) with a valid Luhn
/// digit, written as one run of digits or as groups of digits joined by anything but letters and
/// digits: spaces (any number of them), `-`, `.`, `_`, `/`, `,`, `+`, brackets, ... Invisible
/// characters (U+200B, U+00AD, U+2060 and the other format characters) and combining marks are
/// dropped first, and letters touching the digits do not hide them (`VISA4111111111111111`,
/// `4111111111111111exp1225`). Only a context that makes the digits something else excludes them
/// (`CardNumberContext`): a phone number after `+` of valid length for its country, an EAN-13
/// barcode, an IBAN, a UUID, an Amazon-style or `ord_`-prefixed order id. The rates this rule was
/// measured at (misses, and refusals of ordinary ids) are in CardDataCorpusTests and the README.
package enum CardData {
    /// Where in `value` card data sits, as a field path such as `description` or `items[0].note`,
    /// or nil. The path never contains the card number itself: a key that holds one is reported as
    /// "a key of" its parent.
    public static func location(in value: JSONValue, path: String = "") -> String? {
        switch value {
        case .string(let text):
            return containsCardNumber(text) ? describe(path) : nil
        case .number(let text):
            return containsCardNumber(text) ? describe(path) : nil
        case .array(let elements):
            for (offset, element) in elements.enumerated() {
                if let found = location(in: element, path: "\(path)[\(offset)]") { return found }
            }
            return nil
        case .object(let members):
            // Sorted, so that the same request always names the same field.
            for key in members.keys.sorted() {
                if containsCardNumber(key) { return "a key of \(describe(path))" }
                let child = path.isEmpty ? key : "\(path).\(key)"
                if isCardFieldName(key) { return "'\(child)'" }
                if let found = location(in: members[key]!, path: child) { return found }
            }
            return nil
        case .null, .bool:
            return nil
        }
    }

    static func describe(_ path: String) -> String {
        path.isEmpty ? "the body" : "'\(path)'"
    }

    /// True when `text` holds a card number: some consecutive digit groups of one chain (groups joined
    /// by at most eight separator characters, a run of whitespace counting as one, no letter between)
    /// make a brand's number at one of its lengths with a valid Luhn digit, and no context claims them.
    package static func containsCardNumber(_ text: String) -> Bool {
        // Most strings (currencies, emails, names, short ids) cannot hold 12 digits: skip the scan.
        guard CardText.digitCount(text, atLeast: CardBrands.shortestLength) else { return false }
        let scan = DigitScan(CardText.normalised(text))
        return scan.containsCardNumber(excluding: CardNumberContext.claims(in: scan))
    }
}
