/// A day of the proleptic Gregorian calendar, to and from days since 1970-01-01 (Howard Hinnant's
/// algorithms, http://howardhinnant.github.io/date_algorithms.html): every timestamp this code writes or
/// reads (events, SigV4, API Gateway's request time) goes through it, so none needs a calendar or formatter.
public struct CivilDate: Equatable, Sendable {
    public var year: Int
    /// 1 to 12, and 1 to 31.
    public var month: Int, day: Int

    public init(year: Int, month: Int, day: Int) {
        (self.year, self.month, self.day) = (year, month, day)
    }

    public init(daysSince1970 days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        self.init(year: Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), month: Int(month),
                  day: Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1))
    }

    public var daysSince1970: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The UTC day holding the instant `seconds` after 1970-01-01T00:00:00Z, and the seconds into that
    /// day (0..<86_400), rounding towards the past also before 1970.
    public static func utc(secondsSince1970 seconds: Int64) -> (date: CivilDate, secondOfDay: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return (CivilDate(daysSince1970: days), Int(seconds - days * 86_400))
    }
}
