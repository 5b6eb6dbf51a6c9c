import PaymentsCore
import Platform

/// Which payment events become an SMS, and to which numbers.
///
/// The number is the customer's choice and is only format-checked, and an SMS costs the shop money per
/// message (more to some countries than others): SMS pumping fraud creates payments with numbers that
/// pay the fraudster for every message. So SMS go only to the outcomes a customer must hear of, not to
/// `PaymentPending` (which any created payment raises), and only to the countries the shop serves.
/// Email has no such price per message and keeps every event.
public struct SMSPolicy: Sendable, Equatable {
    /// The outcomes: the money moved, did not, or came back.
    public static let detailTypes: Set<String> = ["PaymentSucceeded", "PaymentFailed", "PaymentPartiallyRefunded", "PaymentRefunded"]

    /// `NOTIFICATION_SMS_COUNTRIES`; nil admits every country (local channels only, see `fromEnvironment`).
    public var countries: Set<CallingCode>?

    public init(countries: Set<CallingCode>? = nil) { self.countries = countries }

    public func sends(_ detailType: String) -> Bool { Self.detailTypes.contains(detailType) }

    /// Whether the number is in an allowed country; a number that is not E.164 is in none.
    package func allows(number: String) -> Bool {
        guard let countries else { return true }
        guard let code = CallingCode(ofNumber: number) else { return false }
        return countries.contains(code)
    }

    public static let setting = "NOTIFICATION_SMS_COUNTRIES"

    /// `NOTIFICATION_SMS_COUNTRIES`: the E.164 country calling codes SMS may go to, comma-separated
    /// (`1,44,49`). Unset is every country only where SMS cost nothing (`required` false: the local
    /// channels); where SMS really go out, a deployment that sends them must say where to.
    public static func fromEnvironment(_ environment: [String: String], required: Bool) throws(ConfigurationError) -> SMSPolicy {
        guard let text = environment[setting], !text.isEmpty else {
            if required {
                throw ConfigurationError("\(setting) is not set: list the country calling codes SMS may go to (for example 1,44,49), or leave sms out of NOTIFICATION_CHANNELS")
            }
            return SMSPolicy()
        }
        var countries = Set<CallingCode>()
        for (index, entry) in text.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            guard let code = CallingCode(entry.filter { $0 != " " }) else {
                throw ConfigurationError("\(setting) must list E.164 country calling codes separated by commas (for example 1,44,49); entry \(index + 1) is not one")
            }
            countries.insert(code)
        }
        return SMSPolicy(countries: countries)
    }
}
