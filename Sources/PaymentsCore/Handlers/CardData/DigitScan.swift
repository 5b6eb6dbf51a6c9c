import Platform

/// A run of decimal digits in normalised text: where its digits are in `DigitScan.digits` and where
/// it was in the text.
struct DigitGroup {
    var digits: Range<Int>
    var scalars: Range<Int>
    var count: Int { digits.count }
}

/// The digit groups of a normalised text and how they chain: two neighbouring groups belong to one
/// candidate number when only separators lie between them (no letter) and not too many of them.
struct DigitScan {
    let text: [Unicode.Scalar]
    let afterHidden: [Bool]
    private(set) var digits: [UInt8] = []
    private(set) var groups: [DigitGroup] = []

    /// The longest gap between two groups of one number, a run of whitespace counting as one character:
    /// room for "4242 - 4242", "(4242) (4242)" or "4242 ] [ 4242", never for a word.
    static let maximumGap = 8

    init(_ normalised: (scalars: [Unicode.Scalar], afterHidden: [Bool])) {
        text = normalised.scalars
        afterHidden = normalised.afterHidden
        digits.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            guard let first = CardText.decimalDigit(text[index]) else { index += 1; continue }
            let start = index
            let digitStart = digits.count
            digits.append(first)
            index += 1
            while index < text.count, let digit = CardText.decimalDigit(text[index]) {
                digits.append(digit)
                index += 1
            }
            groups.append(DigitGroup(digits: digitStart..<digits.count, scalars: start..<index))
        }
    }

    /// The text between group `index` and the next one.
    func gap(after index: Int) -> ArraySlice<Unicode.Scalar> {
        text[groups[index].scalars.upperBound..<groups[index + 1].scalars.lowerBound]
    }

    /// Whether group `index` and the next one can be parts of one number.
    func isJoinedToNext(_ index: Int) -> Bool {
        guard index + 1 < groups.count else { return false }
        var length = 0
        var previousWasSpace = false
        for scalar in gap(after: index) {
            if CardText.isLetter(scalar) { return false }
            let isSpace = scalar.properties.isWhitespace
            if !(isSpace && previousWasSpace) { length += 1 }
            if length > Self.maximumGap { return false }
            previousWasSpace = isSpace
        }
        return true
    }

    /// Whether invisible characters were dropped from groups `first` to `last` (or right before them):
    /// written that way, digits are hiding, and no context excuses them.
    func hasHiddenCharacters(from first: Int, through last: Int) -> Bool {
        afterHidden[groups[first].scalars.lowerBound..<groups[last].scalars.upperBound].contains(true)
    }

    func isGluedBefore(_ index: Int) -> Bool {
        let start = groups[index].scalars.lowerBound
        return start > 0 && CardText.isLetter(text[start - 1])
    }

    func isGluedAfter(_ index: Int) -> Bool {
        let end = groups[index].scalars.upperBound
        return end < text.count && CardText.isLetter(text[end])
    }

    func digits(from first: Int, through last: Int) -> ArraySlice<UInt8> {
        digits[groups[first].digits.lowerBound..<groups[last].digits.upperBound]
    }

    /// Any window of consecutive, unclaimed groups of one chain, so that a card number written next
    /// to other digits ("4242 4242 4242 4242 12 30") is still seen.
    func containsCardNumber(excluding claimed: [Bool]) -> Bool {
        var segmentStart = 0
        for index in groups.indices {
            if claimed[index] {
                segmentStart = index + 1
                continue
            }
            // Windows ending at `index`, within the current segment.
            var first = index
            var length = 0
            while first >= segmentStart {
                length += groups[first].count
                if length > CardBrands.longestLength { break }
                if length >= CardBrands.shortestLength, CardBrands.isCardNumber(digits(from: first, through: index)) { return true }
                first -= 1
            }
            if !isJoinedToNext(index) { segmentStart = index + 1 }
        }
        return false
    }
}
