import Crypto
import PaymentsCore
import Platform

/// Stripe's webhook signature scheme (https://docs.stripe.com/webhooks#verify-manually):
/// `Stripe-Signature: t=TIMESTAMP,v1=HEX[,v1=HEX…]` where each v1 is HMAC-SHA256(secret, "TIMESTAMP.BODY").
public struct StripeSignature: Sendable {
    /// Endpoint secrets (`whsec_…`). Several are accepted while a secret is being rolled.
    public let secrets: [SymmetricKey]
    /// Stripe's default replay window.
    public var tolerance: Double
    /// One HMAC per secret with the key already absorbed, copied for each delivery: keying HMAC costs
    /// as much as hashing a kilobyte of body, and the secret does not change between deliveries.
    private let keyed: [KeyedSHA256]

    public init(secrets: [String], tolerance: Double = 300) {
        self.secrets = secrets.map { SymmetricKey(data: Array($0.utf8)) }
        self.keyed = self.secrets.map(KeyedSHA256.init(key:))
        self.tolerance = tolerance
    }

    public func verify(header: String?, body: [UInt8], now: Double) throws(WebhookError) {
        guard let header, !header.isEmpty else { throw .unverified("The Stripe-Signature header is missing.") }
        let (timestamp, signatures) = try Self.fields(of: header)
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
        for mac in keyed {
            mac.authenticationCode(of: prefix, then: body).withUnsafeBytes { expected in
                for signature in signatures where ConstantTime.equals(expected, signature) { matched = true }
            }
        }
        guard matched else { throw .unverified("No Stripe-Signature v1 signature matches the body.") }
    }

    /// The timestamp and the v1 signatures of a header, read as bytes from one contiguous copy: the
    /// header is ASCII, and stepping a String's views through split and trim cost as much as the HMAC.
    /// Elements are split at commas and then at the first `=`, as `split` splits (empty parts skipped).
    static func fields(of header: String) throws(WebhookError) -> (timestamp: Int?, signatures: [[UInt8]]) {
        var header = header
        // withUTF8 rethrows untyped: the typed error travels out in a Result.
        return try header.withUTF8 { bytes in Result { () throws(WebhookError) in try fields(of: bytes) } }.get()
    }

    private static func fields(of bytes: UnsafeBufferPointer<UInt8>) throws(WebhookError) -> (timestamp: Int?, signatures: [[UInt8]]) {
        var timestamp: Int?
        var signatures: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
            defer { start = end + 1 }
            guard end > start else { continue }
            var keyStart = start
            while keyStart < end, bytes[keyStart] == UInt8(ascii: "=") { keyStart += 1 }
            var equals = keyStart
            while equals < end, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
            guard equals + 1 < end else { throw .unverified("The Stripe-Signature header is malformed.") }
            let key = bytes[keyStart..<equals].trimmingASCII { $0 == UInt8(ascii: " ") }
            let value = bytes[(equals + 1)..<end].trimmingASCII { $0 == UInt8(ascii: " ") }
            if key.elementsEqual("t".utf8) {
                guard let number = Int(String(decoding: UnsafeBufferPointer(rebasing: value), as: UTF8.self)) else {
                    throw .unverified("The Stripe-Signature timestamp is not a number.")
                }
                timestamp = number
            } else if key.elementsEqual("v1".utf8) {
                // A v1 that is not hex cannot match; it is skipped like any other non-matching one.
                if let signature = Hex.decode(buffer: UnsafeBufferPointer(rebasing: value)) { signatures.append(signature) }
            }
            // v0 (test mode legacy) and future schemes are ignored, as Stripe's libraries do
        }
        return (timestamp, signatures)
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
