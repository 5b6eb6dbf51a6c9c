import Testing
import NotificationService
import PaymentsCore
import Platform

/// `SMSPolicy` and `CallingCode`: which events text the customer, and which numbers may be texted.
@Suite struct SMSPolicyTests {
    @Test(arguments: [
        ("+14155550123", "1"), ("+18765550123", "1"), ("+79161234567", "7"), ("+447700900123", "44"), ("+4915112345678", "49"),
        ("+5511912345678", "55"), ("+353861234567", "353"), ("+2348012345678", "234"), ("+420601123456", "420"),
        ("+97150123456", "971"), ("+88612345678", "886"),
    ])
    func aNumbersCallingCodeIsReadFromItsFirstDigits(number: String, code: String) {
        #expect(CallingCode(ofNumber: number)?.digits == code, "\(number)")
    }

    @Test(arguments: ["14155550123", "+0415550123", "+1234567", "+1234567890123456", "+1 415 555 0123", "+1415CALLME", "", "+",
                      "+١٤١٥٥٥٥٠١٢٣"])
    func textThatIsNoE164NumberHasNoCallingCode(text: String) {
        #expect(CallingCode(ofNumber: text) == nil, "\(text)")
    }

    @Test func theSettingListsCodesWithOptionalPlusAndSpaces() throws {
        let policy = try SMSPolicy.fromEnvironment(["NOTIFICATION_SMS_COUNTRIES": "1, +44,49 ,353"], required: true)
        #expect(policy.countries == Set(["1", "44", "49", "353"].compactMap { CallingCode($0) }))
        #expect(policy.allows(number: "+14155550123") && policy.allows(number: "+447700900123") && policy.allows(number: "+353861234567"))
        #expect(!policy.allows(number: "+4367612345678"), "Austria (43) is not listed")
        #expect(!policy.allows(number: "+3726123456"), "Estonia (372) is not Ireland (353)")
        #expect(!policy.allows(number: "not a number"), "a number that is not E.164 is in no allowed country")
    }

    /// A code of the wrong length would admit a whole zone (`4`) or match nothing (`440`): both are refused.
    @Test(arguments: ["4", "440", "0", "00", "1234", "44;49", "1,,44", "1,", "UK", "+", "++44", "4 4x", "٤٤"])
    func aMalformedSettingIsAConfigurationErrorNamingIt(value: String) {
        do {
            _ = try SMSPolicy.fromEnvironment(["NOTIFICATION_SMS_COUNTRIES": value], required: false)
            Issue.record("'\(value)' was taken")
        } catch {
            #expect(error.description.contains("NOTIFICATION_SMS_COUNTRIES must list E.164 country calling codes"), "\(error)")
        }
    }

    @Test func unsetAdmitsEveryCountryOnlyWhereNotRequired() throws {
        #expect(try SMSPolicy.fromEnvironment([:], required: false).allows(number: "+8821612345678"))
        #expect(try SMSPolicy.fromEnvironment(["NOTIFICATION_SMS_COUNTRIES": ""], required: false).countries == nil)
        #expect(throws: ConfigurationError.self) { try SMSPolicy.fromEnvironment([:], required: true) }
        #expect(throws: ConfigurationError.self) { try SMSPolicy.fromEnvironment(["NOTIFICATION_SMS_COUNTRIES": ""], required: true) }
    }

    @Test func onlyOutcomesAreTexted() {
        let policy = SMSPolicy()
        let texted = PaymentStatus.allCases.map(\.eventDetailType).filter(policy.sends)
        #expect(Set(texted) == ["PaymentSucceeded", "PaymentFailed", "PaymentPartiallyRefunded", "PaymentRefunded"])
    }
}
