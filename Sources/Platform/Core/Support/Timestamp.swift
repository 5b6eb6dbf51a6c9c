#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// RFC 3339 timestamps in UTC with milliseconds (`2025-11-24T16:00:00.123Z`), the form events carry.
/// Written by hand (on `CivilDate`) so that encoding an event needs no calendar or formatter.
public enum Timestamp {
    public static func string(_ date: Date) -> String {
        // Nearest, not down: a time read back from its text (milliseconds / 1000) is the same Double.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = Int(milliseconds - seconds * 1000)
        let (date, secondOfDay) = CivilDate.utc(secondsSince1970: seconds)
        let (year, month, day) = (date.year, date.month, date.day)
        guard (0...9999).contains(year) else { return wideYear(year, month, day, secondOfDay, fraction) }
        // Every event carries two of these: written into the string's own storage, digit by digit.
        return String(unsafeUninitializedCapacity: 24) { text in
            func put(_ number: Int, width: Int, at offset: Int) {
                var rest = number
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    text[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, width: 4, at: 0)
            put(month, width: 2, at: 5)
            put(day, width: 2, at: 8)
            put(secondOfDay / 3600, width: 2, at: 11)
            put(secondOfDay / 60 % 60, width: 2, at: 14)
            put(secondOfDay % 60, width: 2, at: 17)
            put(fraction, width: 3, at: 20)
            text[4] = UInt8(ascii: "-")
            text[7] = UInt8(ascii: "-")
            text[10] = UInt8(ascii: "T")
            text[13] = UInt8(ascii: ":")
            text[16] = UInt8(ascii: ":")
            text[19] = UInt8(ascii: ".")
            text[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// Years before 0 or after 9999, which no event has, written as ISO 8601's expanded form would pad them.
    private static func wideYear(_ year: Int, _ month: Int, _ day: Int, _ secondOfDay: Int, _ fraction: Int) -> String {
        func padded(_ number: Int, _ width: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T\(padded(secondOfDay / 3600, 2)):"
            + "\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2)).\(padded(fraction, 3))Z"
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (what `string` writes, and what AWS sends).
    public static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes.last == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var milliseconds = 0
        if bytes.count > 20 {
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21 else { return nil }
            // Milliseconds from the first three digits, rounded by the fourth; finer digits are dropped.
            var digits: [Int] = []
            for index in 20..<(bytes.count - 1) {
                guard let digit = number(index..<(index + 1)) else { return nil }
                digits.append(digit)
            }
            digits += [0, 0, 0, 0]
            milliseconds = digits[0] * 100 + digits[1] * 10 + digits[2] + (digits[3] >= 5 ? 1 : 0)
        } else {
            guard bytes[19] == UInt8(ascii: "Z") else { return nil }
        }
        let days = CivilDate(year: year, month: month, day: day).daysSince1970
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Date(timeIntervalSince1970: Double(seconds * 1000 + Int64(milliseconds)) / 1000)
    }
}
