import PaymentsCore
import Platform

/// `PAYPAL_WEBHOOK_ID`: the id PayPal gave the webhook, which is part of every string PayPal signs for it.
/// PayPal's API allows `^[a-zA-Z0-9]+$` of at most 50 characters and issues 17 upper-case letters and
/// digits (its own example: `1JE4291016473214C`). A typed value (`WH-1`, `PENDING`) is refused at start:
/// no genuine delivery would verify against it, and the function would look healthy while refusing them all.
public struct PayPalWebhookID: Sendable {
    public static let setting = "PAYPAL_WEBHOOK_ID"
    public static let shape = SecretShape(alphabet: .upperAlphanumeric, lengths: 17...50, minimumDistinct: 3)

    public let value: String

    public init(setting value: String) throws(ConfigurationError) {
        if let problem = Self.shape.problem(with: value) {
            throw ConfigurationError("\(Self.setting) \(problem): set the webhook id PayPal shows for the webhook")
        }
        self.value = value
    }
}
