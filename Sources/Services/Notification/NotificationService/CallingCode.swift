import Platform

/// An E.164 country calling code (`1`, `44`, `49`, `353`), without the `+`.
///
/// Calling codes are a prefix code: no code is the start of another, and an E.164 number begins with
/// exactly one of them. Which length applies is read from the first digits: `1` (the North American
/// Numbering Plan) and `7` are one digit, the two-digit codes are listed below, every other start is a
/// three-digit code. So a number's code is found without a table of every country, and a listed code
/// of the wrong length (`4`, `440`) is refused instead of silently admitting a whole zone.
public struct CallingCode: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    static let oneDigit: Set<String> = ["1", "7"]
    /// ITU-T E.164 assigned two-digit codes; every other two-digit start belongs to a three-digit code.
    static let twoDigit: Set<String> = [
        "20", "27",
        "30", "31", "32", "33", "34", "36", "39",
        "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58",
        "60", "61", "62", "63", "64", "65", "66",
        "81", "82", "84", "86",
        "90", "91", "92", "93", "94", "95", "98",
    ]

    /// The length of the calling code that `digits` (a number without its `+`) starts with; nil when
    /// it starts with 0 or is too short to hold one.
    static func length(atStartOf digits: Substring) -> Int? {
        guard let first = digits.first, first.isASCII, first.isNumber, first != "0" else { return nil }
        if oneDigit.contains(String(first)) { return 1 }
        if digits.count >= 2, twoDigit.contains(String(digits.prefix(2))) { return 2 }
        return digits.count >= 3 ? 3 : nil
    }

    /// A code as an operator writes it in a setting: its digits, optionally after `+`.
    public init?(_ text: some StringProtocol) {
        let digits = text.hasPrefix("+") ? Substring(text.dropFirst()) : Substring(text)
        guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              Self.length(atStartOf: digits) == digits.count else { return nil }
        self.digits = String(digits)
    }

    /// The code an E.164 number (`+` then 8 to 15 digits) is in; nil for anything else.
    public init?(ofNumber number: String) {
        guard number.hasPrefix("+") else { return nil }
        let digits = number.dropFirst()
        guard (8...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let length = Self.length(atStartOf: digits) else { return nil }
        self.digits = String(digits.prefix(length))
    }

    public var description: String { digits }
}
