import Platform

/// Digit groups that their context shows to be something other than a card number. Each rule is as
/// narrow as the measured false alarms needed (CardDataCorpusTests), since each one is also a way
/// a card number could be written and not be seen.
enum CardNumberContext {
    /// For each group of `scan`, whether a context claims it.
    static func claims(in scan: DigitScan) -> [Bool] {
        var claimed = [Bool](repeating: false, count: scan.groups.count)
        var index = 0
        while index < scan.groups.count {
            if let last = phoneNumber(in: scan, from: index) ?? amazonOrderID(in: scan, from: index),
               !scan.hasHiddenCharacters(from: index, through: last) {
                for claimedIndex in index...last { claimed[claimedIndex] = true }
                index = last + 1
                continue
            }
            if isEAN13(in: scan, at: index) || isPrefixedOrderID(in: scan, at: index),
               !scan.hasHiddenCharacters(from: index, through: index) { claimed[index] = true }
            index += 1
        }
        return claimed
    }

    // MARK: Phone numbers

    /// National significant number lengths (ITU-T E.164 national plans) of the 20 most populous
    /// countries, by country code.
    static let nationalNumberLengths: [(code: [UInt8], lengths: ClosedRange<Int>)] = [
        ([1], 10...10), ([7], 10...10), ([2, 0], 8...10), ([4, 9], 6...11), ([5, 2], 10...10), ([5, 5], 10...11),
        ([6, 2], 9...12), ([6, 3], 8...10), ([6, 6], 8...9), ([8, 1], 9...10), ([8, 4], 9...10), ([8, 6], 10...11),
        ([9, 0], 10...10), ([9, 1], 10...10), ([9, 2], 9...10), ([9, 8], 10...10), ([2, 3, 4], 8...10),
        ([2, 4, 3], 9...9), ([2, 5, 1], 9...9), ([8, 8, 0], 8...10),
    ]

    /// The last group of a phone number starting at group `first`: `+` right before it (and no letter
    /// or digit before the `+`), then all the groups that follow joined by a space, `-`, `.` or
    /// brackets (at most 3 of them), whose digits are a valid number of one of these countries.
    /// All the groups or none: "+4915 1234 5678 9012" is no German phone with a card after it. The card
    /// numbers this can take for phones: a 13-digit Visa number starting 49 (+49 and 11 digits) and a
    /// 12-digit Maestro number starting 6304 (+63 and 10 digits), each written right after a `+`.
    static func phoneNumber(in scan: DigitScan, from first: Int) -> Int? {
        let start = scan.groups[first].scalars.lowerBound
        guard start > 0, scan.text[start - 1] == "+", start == 1 || !CardText.isWordScalar(scan.text[start - 2]) else { return nil }
        var last = first
        while last + 1 < scan.groups.count, isPhoneSeparator(scan.gap(after: last)) { last += 1 }
        let digits = scan.digits(from: first, through: last)
        guard digits.count <= 15 else { return nil }
        for (code, lengths) in nationalNumberLengths where digits.starts(with: code) {
            return lengths.contains(digits.count - code.count) ? last : nil
        }
        return nil
    }

    static func isPhoneSeparator(_ gap: ArraySlice<Unicode.Scalar>) -> Bool {
        (1...3).contains(gap.count) && gap.allSatisfy { [" ", "-", ".", "(", ")"].contains($0) }
    }

    // MARK: Barcodes

    /// A group of exactly 13 digits, no letter touching it, with a valid EAN-13 (GTIN-13) check digit.
    /// This is the one rule that hides real card numbers: one Luhn-valid 13-digit Visa or Maestro number
    /// in ten also has a valid EAN check digit, and written as one unseparated run it is taken as a barcode.
    static func isEAN13(in scan: DigitScan, at index: Int) -> Bool {
        guard scan.groups[index].count == 13, !scan.isGluedBefore(index), !scan.isGluedAfter(index) else { return false }
        let digits = scan.digits(from: index, through: index)
        return hasValidGTINCheckDigit(digits)
    }

    /// GS1's check: weights 3 and 1 alternating from the digit before the check digit.
    static func hasValidGTINCheckDigit(_ digits: ArraySlice<UInt8>) -> Bool {
        var sum = 0
        for (offset, digit) in digits.dropLast().reversed().enumerated() {
            sum += Int(digit) * (offset % 2 == 0 ? 3 : 1)
        }
        return (10 - sum % 10) % 10 == Int(digits.last!)
    }

    // MARK: Order ids

    /// Amazon's order id: 3, 7 and 7 digits joined by single dashes, not part of a longer dashed run.
    static func amazonOrderID(in scan: DigitScan, from first: Int) -> Int? {
        let last = first + 2
        guard last < scan.groups.count,
              scan.groups[first].count == 3, scan.groups[first + 1].count == 7, scan.groups[last].count == 7,
              scan.gap(after: first).elementsEqual(["-"]), scan.gap(after: first + 1).elementsEqual(["-"]),
              !scan.isGluedBefore(first), !scan.isGluedAfter(last) else { return nil }
        let start = scan.groups[first].scalars.lowerBound
        let end = scan.groups[last].scalars.upperBound
        guard start == 0 || scan.text[start - 1] != "-", end == scan.text.count || scan.text[end] != "-" else { return nil }
        return last
    }

    /// Words that name an order or invoice when written before its number (`ord_`, `ORD-`, `INV#`, `order #`).
    static let orderPrefixes: Set<String> = ["ord", "order", "inv", "invoice", "po", "so"]

    /// A group right after an order prefix (glued, or after `_`, `-`, `#` or ` #`) that ends its chain:
    /// `ord_4242424242424242` is the README's recommended order id, `ord_4242 4242 4242 4242` is not.
    static func isPrefixedOrderID(in scan: DigitScan, at index: Int) -> Bool {
        guard !scan.isJoinedToNext(index) else { return false }
        var cursor = scan.groups[index].scalars.lowerBound
        let text = scan.text
        if cursor > 0, ["_", "-", "#"].contains(text[cursor - 1]) {
            cursor -= 1
            if text[cursor] == "#", cursor > 0, text[cursor - 1] == " " { cursor -= 1 }
        }
        let wordEnd = cursor
        while cursor > 0, CardText.isLetter(text[cursor - 1]) { cursor -= 1 }
        guard cursor < wordEnd, wordEnd - cursor <= 7, cursor == 0 || !CardText.isWordScalar(text[cursor - 1]) else { return false }
        let word = String(String.UnicodeScalarView(text[cursor..<wordEnd])).lowercased()
        return orderPrefixes.contains(word)
    }
}
