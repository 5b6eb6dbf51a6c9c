import Crypto
import PaymentsCore

/// Stripe's webhook signature scheme (https://docs.stripe.com/webhooks#verify-manually):
/// `Stripe-Signature: t=TIMESTAMP,v1=HEX[,v1=HEX…]` where each v1 is HMAC-SHA256(secret, "TIMESTAMP.BODY").
public struct StripeSignature: Sendable {
    /// Endpoint secrets (`whsec_…`). Several are accepted while a secret is being rolled.
    public var secrets: [SymmetricKey]
    /// Stripe's default replay window.
    public var tolerance: Double

    public init(secrets: [String], tolerance: Double = 300) {
        self.secrets = secrets.map { SymmetricKey(data: Array($0.utf8)) }
        self.tolerance = tolerance
    }

    public func verify(header: String?, body: [UInt8], now: Double) throws(WebhookError) {
        guard let header, !header.isEmpty else { throw .unverified("The Stripe-Signature header is missing.") }
        var timestamp: Int?
        var signatures: [[UInt8]] = []
        for element in header.split(separator: ",") {
            let pair = element.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw .unverified("The Stripe-Signature header is malformed.") }
            let key = pair[0].trimmingSpaces
            switch key {
            case "t":
                guard let value = Int(pair[1].trimmingSpaces) else { throw .unverified("The Stripe-Signature timestamp is not a number.") }
                timestamp = value
            case "v1":
                // A v1 that is not hex cannot match; it is skipped like any other non-matching one.
                if let bytes = Hex.decode(pair[1].trimmingSpaces) { signatures.append(bytes) }
            default:
                continue  // v0 (test mode legacy) and future schemes are ignored, as Stripe's libraries do
            }
        }
        guard let timestamp else { throw .unverified("The Stripe-Signature header has no timestamp.") }
        guard !signatures.isEmpty else { throw .unverified("The Stripe-Signature header has no v1 signature.") }
        guard abs(now - Double(timestamp)) <= tolerance else {
            throw .unverified("The Stripe-Signature timestamp is outside the \(Int(tolerance)) s tolerance.")
        }
        var signed = Array(String(timestamp).utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: body)
        // Every secret and every signature is compared, so timing says nothing about which one matched.
        var matched = false
        for secret in secrets {
            let expected = HMAC<SHA256>.authenticationCode(for: signed, using: secret)
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

extension Substring {
    /// Without surrounding spaces. Works on UTF-8 bytes: this runs for every signature element.
    var trimmingSpaces: String {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") }) else { return "" }
        let last = bytes.lastIndex(where: { $0 != UInt8(ascii: " ") })!
        return String(self[first...last])
    }
}
