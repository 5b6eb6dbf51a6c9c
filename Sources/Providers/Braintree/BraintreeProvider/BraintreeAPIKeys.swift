import PaymentsCore
import Platform

/// `BRAINTREE_PUBLIC_KEY` and `BRAINTREE_PRIVATE_KEY`: the API key pair that signs Braintree's webhooks
/// (HMAC-SHA1 keyed with the SHA-1 of the private key). Braintree issues a public key of 16 lower-case
/// letters and digits and a private key of 32 (hexadecimal in the keys we have seen; lower-case letters
/// and digits are allowed). A guessable private key would let anyone sign `transaction_settled`, so the
/// webhook function refuses to start on anything else.
public struct BraintreeAPIKeys: Sendable {
    public static let publicKeySetting = "BRAINTREE_PUBLIC_KEY"
    public static let privateKeySetting = "BRAINTREE_PRIVATE_KEY"
    public static let publicKeyShape = SecretShape(alphabet: .lowerAlphanumeric, lengths: 16...16, minimumDistinct: 5)
    public static let privateKeyShape = SecretShape(alphabet: .lowerAlphanumeric, lengths: 32...32, minimumDistinct: 6)

    public let publicKey: String
    public let privateKey: String

    public init(publicKey: String, privateKey: String) throws(ConfigurationError) {
        for (setting, shape, value) in [(Self.publicKeySetting, Self.publicKeyShape, publicKey), (Self.privateKeySetting, Self.privateKeyShape, privateKey)] {
            if let problem = shape.problem(with: value) {
                throw ConfigurationError("\(setting) \(problem): set the API key pair from Braintree's Control Panel")
            }
        }
        self.publicKey = publicKey
        self.privateKey = privateKey
    }
}
