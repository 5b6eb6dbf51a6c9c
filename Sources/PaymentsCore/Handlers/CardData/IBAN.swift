import Platform

/// International Bank Account Numbers (ISO 13616): a country code, two check digits and the
/// country's fixed number of letters and digits, written in one piece or in groups of four
/// separated by single spaces, valid when the mod-97 check gives 1.
enum IBAN {
    /// IBAN lengths by country, from the SWIFT IBAN registry.
    static let lengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28,
        "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
        "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
        "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
        "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15,
        "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19,
        "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    ]

    /// Where a valid IBAN starting at `start` ends (after its last character), or nil.
    static func end(_ scalars: [Unicode.Scalar], at start: Int) -> Int? {
        guard start + 15 <= scalars.count,
              let first = letter(scalars[start]), let second = letter(scalars[start + 1]),
              isDigit(scalars[start + 2]), isDigit(scalars[start + 3]),
              let length = lengths[String([Character(first), Character(second)])] else { return nil }
        var characters: [Unicode.Scalar] = []
        characters.reserveCapacity(length)
        var index = start
        while characters.count < length, index < scalars.count {
            let scalar = scalars[index]
            if isDigit(scalar) {
                characters.append(scalar)
            } else if let upper = letter(scalar) {
                characters.append(upper)
            } else if scalar == " ", characters.count % 4 == 0, index + 1 < scalars.count, scalars[index + 1] != " " {
                // A single space between groups of four.
            } else {
                break
            }
            index += 1
        }
        guard characters.count == length, index == scalars.count || !CardText.isWordScalar(scalars[index]) else { return nil }
        return isValid(characters) ? index : nil
    }

    /// The mod-97 check: the first four characters moved to the end, letters as 10 to 35.
    static func isValid(_ characters: [Unicode.Scalar]) -> Bool {
        var remainder = 0
        for scalar in characters[4...] + characters[..<4] {
            if isDigit(scalar) {
                remainder = (remainder * 10 + Int(scalar.value - 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(scalar.value - 0x41 + 10)) % 97
            }
        }
        return remainder == 1
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { (0x30...0x39).contains(scalar.value) }

    /// An ASCII letter, in upper case.
    static func letter(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x41...0x5A: return scalar
        case 0x61...0x7A: return Unicode.Scalar(scalar.value - 0x20)
        default: return nil
        }
    }
}
