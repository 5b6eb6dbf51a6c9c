/// Recognises card data wherever a client may have put it, so that it is refused before anything is
/// stored, sent to a provider, published or logged.
///
/// A card number is 13 to 19 digits (spaces, dashes, dots or underscores may separate groups of
/// them) that start like a card brand's number and pass the Luhn check, not glued to a letter and
/// not inside a UUID. The cost of looking
/// everywhere is a rare false positive: a purely numeric order id that happens to look like a card
/// (about one in ten numbers of that length with a brand's prefix pass Luhn) is refused too.
public enum CardData {
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

    /// Names that only card data goes by, compared without case, spaces, dashes or underscores.
    static let cardFieldNames: Set<String> = [
        "card", "cardnumber", "cardno", "cardnum", "creditcard", "creditcardnumber", "creditcardno",
        "debitcard", "debitcardnumber", "cc", "ccn", "ccnumber", "ccnum", "ccno", "pan",
        "primaryaccountnumber", "accountnumber", "number", "cvc", "cvc2", "cvv", "cvv2", "cvn", "cid", "csc",
        "securitycode", "cardsecuritycode", "cardcode", "cardverificationvalue", "cardverificationcode",
        "exp", "expiry", "expires", "expiration", "expdate", "expirydate", "expirationdate", "expmonth",
        "expyear", "expirymonth", "expiryyear", "expirationmonth", "expirationyear", "validthru",
        "track1", "track2", "trackdata",
    ]

    /// Fragments that make any longer name a card field: `customerCardNumber`, `card_cvc`.
    static let cardFieldFragments = ["cardnumber", "cardno", "creditcard", "debitcard", "cvv", "cvc", "securitycode", "cardexp", "cardverification", "magstrip"]

    public static func isCardFieldName(_ name: String) -> Bool {
        let folded = String(name.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        if cardFieldNames.contains(folded) { return true }
        return cardFieldFragments.contains { folded.contains($0) }
    }

    /// True when `text` holds a card number: a run of digit groups (any script's decimal digits,
    /// up to three separators between groups) of which some consecutive groups make 13 to 19
    /// digits with a brand's prefix and a valid Luhn check digit.
    ///
    /// Digits glued to a letter belong to a word or an identifier (`b228`, `8394819923d2`), and a UUID
    /// is an identifier as a whole: neither is a card number as written. Without these two rules one
    /// random UUID in 700 (an Idempotency-Key, an order id) was refused as card data; with them none is.
    public static func containsCardNumber(_ text: String) -> Bool {
        var groups: [[UInt8]] = []
        var current: [UInt8] = []
        var currentIsGlued = false
        var previousIsLetter = false
        var separatorsSinceDigit = 0
        for scalar in withoutUUIDs(text) {
            if let digit = decimalDigit(scalar) {
                if current.isEmpty {
                    if separatorsSinceDigit > 3 {
                        if check(groups) { return true }
                        groups.removeAll()
                    }
                    currentIsGlued = previousIsLetter
                }
                current.append(digit)
                separatorsSinceDigit = 0
                previousIsLetter = false
            } else {
                let isLetter = scalar.properties.isAlphabetic
                if !current.isEmpty {
                    if !currentIsGlued, !isLetter { groups.append(current) }
                    current.removeAll()
                }
                if isSeparator(scalar) {
                    separatorsSinceDigit += 1
                } else {
                    if check(groups) { return true }
                    groups.removeAll()
                    separatorsSinceDigit = 0
                }
                previousIsLetter = isLetter
            }
        }
        if !current.isEmpty, !currentIsGlued { groups.append(current) }
        return check(groups)
    }

    /// `text`'s scalars with each UUID (8-4-4-4-12 hex digits, not part of a longer word) replaced by one letter.
    static func withoutUUIDs(_ text: String) -> [Unicode.Scalar] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 36, scalars.contains("-") else { return scalars }
        func isHex(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && scalar.properties.isASCIIHexDigit }
        func isWordPart(_ index: Int) -> Bool {
            scalars.indices.contains(index) && (scalars[index].properties.isAlphabetic || decimalDigit(scalars[index]) != nil)
        }
        func uuid(at start: Int) -> Bool {
            guard start + 36 <= scalars.count, !isWordPart(start - 1), !isWordPart(start + 36) else { return false }
            for offset in 0..<36 {
                let scalar = scalars[start + offset]
                let isDash = offset == 8 || offset == 13 || offset == 18 || offset == 23
                guard isDash ? scalar == "-" : isHex(scalar) else { return false }
            }
            return true
        }
        var kept: [Unicode.Scalar] = []
        kept.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            if uuid(at: index) {
                kept.append("x")
                index += 36
            } else {
                kept.append(scalars[index])
                index += 1
            }
        }
        return kept
    }

    static func decimalDigit(_ scalar: Unicode.Scalar) -> UInt8? {
        if scalar.isASCII {
            return (0x30...0x39).contains(scalar.value) ? UInt8(scalar.value - 0x30) : nil
        }
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
        return UInt8(value)
    }

    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "-", ".", "_", "\t", "\u{00A0}", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}": return true
        default: return scalar.properties.isWhitespace
        }
    }

    /// Any window of consecutive groups, so that a card number written next to other digits
    /// ("4242 4242 4242 4242 12 30") is still seen.
    static func check(_ groups: [[UInt8]]) -> Bool {
        for start in groups.indices {
            var digits: [UInt8] = []
            for group in groups[start...] {
                digits += group
                if digits.count > 19 { break }
                if digits.count >= 13, isCardNumber(digits) { return true }
            }
        }
        return false
    }

    static func isCardNumber(_ digits: [UInt8]) -> Bool {
        hasBrandPrefix(digits) && passesLuhn(digits)
    }

    static func passesLuhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if offset % 2 == 1 { value *= 2; if value > 9 { value -= 9 } }
            sum += value
        }
        return sum % 10 == 0
    }

    /// Issuer prefixes of the brands in use: Visa, Mastercard, American Express, Discover, Diners,
    /// JCB, UnionPay, Maestro, Mir, RuPay, Verve, Elo, Troy. Generous on purpose: a wrongly refused
    /// order id costs a retry, a stored card number costs far more.
    static func hasBrandPrefix(_ digits: [UInt8]) -> Bool {
        func prefix(_ count: Int) -> Int { digits.prefix(count).reduce(0) { $0 * 10 + Int($1) } }
        switch digits[0] {
        case 4, 5, 6: return true
        case 2: return (2200...2204).contains(prefix(4)) || (2221...2720).contains(prefix(4))
        case 3: return [30, 34, 35, 36, 37, 38, 39].contains(prefix(2))
        case 8: return [81, 82].contains(prefix(2))
        case 9: return prefix(4) == 9792
        default: return false
        }
    }
}
