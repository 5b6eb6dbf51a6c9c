import PaymentsCore
import Platform

/// `STRIPE_WEBHOOK_SECRET`: one endpoint signing secret, or several separated by commas while a secret
/// is being rolled. Each must be what Stripe issues: `whsec_` and at least 32 letters and digits (the
/// dashboard's are 32, `stripe listen`'s 64 hex digits). Anything shorter or typed, such as
/// `whsec_pending`, is refused at start: whoever guessed it could sign `payment_intent.succeeded`.
public struct StripeWebhookSecret: Sendable {
    public static let setting = "STRIPE_WEBHOOK_SECRET"
    public static let shape = SecretShape(prefix: "whsec_", alphabet: .alphanumeric, lengths: 32...1024, minimumDistinct: 6)

    /// The accepted secrets, newest first as configured.
    public let secrets: [String]

    public init(setting value: String) throws(ConfigurationError) {
        let entries = value.split(separator: ",").map { $0.trimmingASCII { $0 == UInt8(ascii: " ") } }.filter { !$0.isEmpty }
        guard !entries.isEmpty else { throw ConfigurationError("\(Self.setting) holds no secret") }
        for (index, entry) in entries.enumerated() {
            let which = entries.count == 1 ? "" : " (entry \(index + 1) of \(entries.count))"
            if let problem = Self.shape.problem(with: entry) {
                throw ConfigurationError("""
                    \(Self.setting)\(which) \(problem): set the endpoint's signing secret from Stripe, or until it \
                    exists an unguessable random one such as whsec_$(openssl rand -hex 32)
                    """)
            }
        }
        secrets = entries
    }
}
