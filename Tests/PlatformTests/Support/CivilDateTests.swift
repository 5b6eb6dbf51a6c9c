import Platform
import Testing

@Suite struct CivilDateTests {
    @Test func knownDaysOnBothSidesOfTheEpoch() {
        #expect(CivilDate(daysSince1970: 0) == CivilDate(year: 1970, month: 1, day: 1))
        #expect(CivilDate(daysSince1970: -1) == CivilDate(year: 1969, month: 12, day: 31))
        #expect(CivilDate(daysSince1970: 11_016) == CivilDate(year: 2000, month: 2, day: 29))
        #expect(CivilDate(daysSince1970: 20_416) == CivilDate(year: 2025, month: 11, day: 24))
        #expect(CivilDate(daysSince1970: -719_468) == CivilDate(year: 0, month: 3, day: 1))
        #expect(CivilDate(daysSince1970: 2_932_896) == CivilDate(year: 9999, month: 12, day: 31))
    }

    /// Counted one day at a time with the Gregorian leap rule written out, not with the algorithm under test.
    @Test func everyDayFrom1899To2101FollowsTheCalendar() {
        func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }
        func length(_ year: Int, _ month: Int) -> Int {
            [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        }
        var expected = CivilDate(year: 1899, month: 1, day: 1)
        var days = CivilDate(year: 1899, month: 1, day: 1).daysSince1970
        #expect(days == -25_932)
        while expected.year <= 2101 {
            #expect(CivilDate(daysSince1970: days) == expected)
            #expect(expected.daysSince1970 == days)
            days += 1
            expected.day += 1
            if expected.day > length(expected.year, expected.month) {
                expected.day = 1
                expected.month += 1
                if expected.month > 12 { expected.month = 1; expected.year += 1 }
            }
        }
    }

    @Test func anInstantSplitsIntoItsUTCDayAndTheSecondsIntoIt() {
        let noon = CivilDate.utc(secondsSince1970: 1_764_000_000)
        #expect(noon.date == CivilDate(year: 2025, month: 11, day: 24) && noon.secondOfDay == 16 * 3600)
        let justBefore = CivilDate.utc(secondsSince1970: -1)
        #expect(justBefore.date == CivilDate(year: 1969, month: 12, day: 31) && justBefore.secondOfDay == 86_399)
        let midnight = CivilDate.utc(secondsSince1970: -86_400)
        #expect(midnight.date == CivilDate(year: 1969, month: 12, day: 31) && midnight.secondOfDay == 0)
    }
}
