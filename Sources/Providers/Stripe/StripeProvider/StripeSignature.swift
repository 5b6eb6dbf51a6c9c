import Crypto
import PaymentsCore

/// Stripe's webhook signature scheme (https://docs.stripe.com/webhooks#verify-manually):
/// `Stripe-Signature: t=TIMESTAMP,v1=HEX[,v1=HEX…]` where each v1 is HMAC-SHA256(secret, "TIMESTAMP.BODY").
public struct StripeSignature: Sendable {
    /// Endpoint secrets (`whsec_…`). Several are accepted while a secret is being rolled.
    public let secrets: [SymmetricKey]
    /// Stripe's default replay window.
    public var tolerance: Double
    /// One HMAC per secret with the key already absorbed, copied for each delivery: keying HMAC costs
    /// as much as hashing a kilobyte of body, and the secret does not change between deliveries.
    private let keyed: [HMAC<SHA256>]

    public init(secrets: [String], tolerance: Double = 300) {
        self.secrets = secrets.map { SymmetricKey(data: Array($0.utf8)) }
        self.keyed = self.secrets.map { HMAC<SHA256>(key: $0) }
        self.tolerance = tolerance
    }

    public func verify(header: String?, body: [UInt8], now: Double) throws(WebhookError) {
        guard let header, !header.isEmpty else { throw .unverified("The Stripe-Signature header is missing.") }
        var timestamp: Int?
        var signatures: [[UInt8]] = []
        // Read as bytes: the header is ASCII, and Character-wise splitting cost more than the HMAC.
        for element in header.utf8.split(separator: UInt8(ascii: ",")) {
            let pair = element.split(separator: UInt8(ascii: "="), maxSplits: 1)
            guard pair.count == 2 else { throw .unverified("The Stripe-Signature header is malformed.") }
            let key = pair[0].trimmingSpaces
            if key.elementsEqual("t".utf8) {
                guard let value = Int(Substring(pair[1].trimmingSpaces)) else { throw .unverified("The Stripe-Signature timestamp is not a number.") }
                timestamp = value
            } else if key.elementsEqual("v1".utf8) {
                // A v1 that is not hex cannot match; it is skipped like any other non-matching one.
                if let bytes = Hex.decode(digits: pair[1].trimmingSpaces) { signatures.append(bytes) }
            }
            // v0 (test mode legacy) and future schemes are ignored, as Stripe's libraries do
        }
        guard let timestamp else { throw .unverified("The Stripe-Signature header has no timestamp.") }
        guard !signatures.isEmpty else { throw .unverified("The Stripe-Signature header has no v1 signature.") }
        guard abs(now - Double(timestamp)) <= tolerance else {
            throw .unverified("The Stripe-Signature timestamp is outside the \(Int(tolerance)) s tolerance.")
        }
        // The signed payload is "TIMESTAMP.BODY", fed to the HMAC in two parts rather than copied into one.
        var prefix = Array(String(timestamp).utf8)
        prefix.append(UInt8(ascii: "."))
        // Every secret and every signature is compared, so timing says nothing about which one matched.
        var matched = false
        for var mac in keyed {
            mac.update(data: prefix)
            mac.update(data: body)
            let expected = mac.finalize()
            expected.withUnsafeBytes { expected in
                for signature in signatures where ConstantTime.equals(expected, signature) { matched = true }
            }
        }
        guard matched else { throw .unverified("No Stripe-Signature v1 signature matches the body.") }
    }

    /// The header Stripe would send for `body` at `timestamp`: for tests and benchmarks.
    public static func header(body: [UInt8], secret: String, timestamp: Int) -> String {
        var signed = Array(String(timestamp).utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(timestamp),v1=\(Hex.encode(mac))"
    }
}

extension Substring.UTF8View {
    /// Without surrounding spaces.
    var trimmingSpaces: Substring.UTF8View {
        guard let first = firstIndex(where: { $0 != UInt8(ascii: " ") }) else { return self[endIndex...] }
        let last = lastIndex(where: { $0 != UInt8(ascii: " ") })!
        return self[first...last]
    }
}
