import Platform

/// Text as the card number search reads it.
enum CardText {
    /// Whether `text` has at least `minimum` decimal digits (of any script).
    static func digitCount(_ text: String, atLeast minimum: Int) -> Bool {
        var count = 0
        for scalar in text.unicodeScalars where decimalDigit(scalar) != nil {
            count += 1
            if count >= minimum { return true }
        }
        return false
    }

    /// `text`'s scalars without the invisible ones (format characters such as U+200B, U+00AD, U+2060,
    /// U+FEFF, default-ignorable code points, combining marks), which would otherwise hide a digit
    /// group's neighbours; and with each UUID and each valid IBAN replaced by one letter, since
    /// both are identifiers as a whole, whatever digits they hold. `afterHidden[i]` tells whether an
    /// invisible scalar stood right before `scalars[i]`: no context excuses digits written that way.
    static func normalised(_ text: String) -> (scalars: [Unicode.Scalar], afterHidden: [Bool]) {
        var visible: [Unicode.Scalar] = []
        var afterHidden: [Bool] = []
        visible.reserveCapacity(text.utf8.count)
        afterHidden.reserveCapacity(text.utf8.count)
        var hidden = false
        for scalar in text.unicodeScalars {
            if !scalar.isASCII, isInvisible(scalar) {
                hidden = true
            } else {
                visible.append(scalar)
                afterHidden.append(hidden)
                hidden = false
            }
        }
        guard visible.count >= 15 else { return (visible, afterHidden) }
        var kept: [Unicode.Scalar] = []
        var keptAfterHidden: [Bool] = []
        kept.reserveCapacity(visible.count)
        keptAfterHidden.reserveCapacity(visible.count)
        var index = 0
        while index < visible.count {
            if index == 0 || !isWordScalar(visible[index - 1]),
               let end = uuidEnd(visible, at: index) ?? IBAN.end(visible, at: index),
               !afterHidden[index..<end].contains(true) {
                kept.append("x")
                keptAfterHidden.append(false)
                index = end
            } else {
                kept.append(visible[index])
                keptAfterHidden.append(afterHidden[index])
                index += 1
            }
        }
        return (kept, keptAfterHidden)
    }

    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .format, .nonspacingMark, .enclosingMark: return true
        default: return properties.isDefaultIgnorableCodePoint
        }
    }

    static func decimalDigit(_ scalar: Unicode.Scalar) -> UInt8? {
        if scalar.isASCII {
            return (0x30...0x39).contains(scalar.value) ? UInt8(scalar.value - 0x30) : nil
        }
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
        return UInt8(value)
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return (0x41...0x5A).contains(scalar.value) || (0x61...0x7A).contains(scalar.value)
        }
        return scalar.properties.isAlphabetic
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || decimalDigit(scalar) != nil
    }

    /// Where a UUID (8-4-4-4-12 hex digits, not part of a longer word) starting at `start` ends.
    static func uuidEnd(_ scalars: [Unicode.Scalar], at start: Int) -> Int? {
        let end = start + 36
        guard end <= scalars.count, end == scalars.count || !isWordScalar(scalars[end]) else { return nil }
        for offset in 0..<36 {
            let scalar = scalars[start + offset]
            let isDash = offset == 8 || offset == 13 || offset == 18 || offset == 23
            guard isDash ? scalar == "-" : (scalar.isASCII && scalar.properties.isASCIIHexDigit) else { return nil }
        }
        return end
    }
}
