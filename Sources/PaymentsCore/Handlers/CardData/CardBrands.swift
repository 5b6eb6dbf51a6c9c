import Platform

/// The card brands' issuer prefixes and issued lengths, and the Luhn check.
///
/// From 16 to 19 digits the rule is generous on purpose (any number starting 4, 5 or 6, and the
/// 2-, 3-, 8- and 9-series ranges below): a wrongly refused id costs a retry, a stored card number
/// costs far more. The shorter lengths are where phone numbers, barcodes and order ids live, so
/// there only the brands that issue them count: Visa at 13, Diners Club at 14 and 15, American
/// Express at 15, and Maestro's own prefixes from 12 (Maestro's issued lengths are 12 to 19).
enum CardBrands {
    static let shortestLength = 12
    static let longestLength = 19

    static func isCardNumber(_ digits: ArraySlice<UInt8>) -> Bool {
        hasBrandPrefix(digits) && passesLuhn(digits)
    }

    static func passesLuhn(_ digits: ArraySlice<UInt8>) -> Bool {
        var sum = 0
        var doubled = false
        for digit in digits.reversed() {
            var value = Int(digit)
            if doubled { value *= 2; if value > 9 { value -= 9 } }
            sum += value
            doubled.toggle()
        }
        return sum % 10 == 0
    }

    /// The number made of the first `count` digits.
    static func prefix(_ digits: ArraySlice<UInt8>, _ count: Int) -> Int {
        digits.prefix(count).reduce(0) { $0 * 10 + Int($1) }
    }

    static func hasBrandPrefix(_ digits: ArraySlice<UInt8>) -> Bool {
        switch digits.count {
        case 16...19: return isLongPrefix(digits) || isMaestro(digits)
        case 15: return isAmex(digits) || isDiners(digits) || isMaestro(digits)
        case 14: return isDiners(digits) || isMaestro(digits)
        case 13: return digits.first == 4 || isMaestro(digits)
        case 12: return isMaestro(digits)
        default: return false
        }
    }

    /// Visa, Mastercard (51-55 and the 2-series), Mir, Discover, Diners, JCB, UnionPay (62, 81),
    /// China T-Union, Maestro, RuPay, Verve, Elo, Troy (65, 9792), UzCard, Humo, Napas.
    static func isLongPrefix(_ digits: ArraySlice<UInt8>) -> Bool {
        switch digits.first! {
        case 4, 5, 6: return true
        case 2: return (2200...2205).contains(prefix(digits, 4)) || (2221...2720).contains(prefix(digits, 4))
        case 3: return [30, 31, 34, 35, 36, 37, 38, 39].contains(prefix(digits, 2))
        case 8: return [81, 82].contains(prefix(digits, 2)) || prefix(digits, 4) == 8600
        case 9: return [9792, 9860, 9704].contains(prefix(digits, 4))
        default: return false
        }
    }

    static func isAmex(_ digits: ArraySlice<UInt8>) -> Bool {
        [34, 37].contains(prefix(digits, 2))
    }

    /// Diners Club International (36), Carte Blanche (300-305) and the Discover-network ranges (3095, 38, 39).
    static func isDiners(_ digits: ArraySlice<UInt8>) -> Bool {
        [36, 38, 39].contains(prefix(digits, 2)) || (300...305).contains(prefix(digits, 3)) || prefix(digits, 4) == 3095
    }

    /// Maestro's own ranges (5018, 5020, 5038, 5893, 6304, 6759, 6761-6763) and Maestro UK's (676770, 676774).
    static func isMaestro(_ digits: ArraySlice<UInt8>) -> Bool {
        switch prefix(digits, 4) {
        case 5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763: return true
        case 6767: return [676770, 676774].contains(prefix(digits, 6))
        default: return false
        }
    }
}
