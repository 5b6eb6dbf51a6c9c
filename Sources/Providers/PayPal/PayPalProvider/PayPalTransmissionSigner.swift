#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import _CryptoExtras
import Crypto
import Platform

/// PayPal's transmission signature (see `PayPalWebhookVerifier`): base64 RSASSA-PKCS1-v1_5 SHA-256 over
/// `<transmission id>|<transmission time>|<webhook id>|<CRC-32 of the body, unsigned decimal>`:
/// the inverse of `PayPalWebhookVerifier`'s offline check, for tests, benchmarks and `payments simulate`
/// (as `StripeSignature.header` and `BraintreeSignature.signature` are for theirs).
public enum PayPalTransmissionSigner {
    /// PayPal signs with this algorithm only (PAYPAL-AUTH-ALGO).
    public static let algorithm = PayPalTransmission.supportedAlgorithm

    package static func signedString(transmissionID: String, time: String, webhookID: String, body: [UInt8]) -> String {
        "\(transmissionID)|\(time)|\(webhookID)|\(CRC32.checksum(body))"
    }

    /// The PAYPAL-* headers of one delivery of `body`.
    public static func headers(body: [UInt8], webhookID: String, key: _RSA.Signing.PrivateKey, transmissionID: String,
                               time: String, certURL: String) throws -> [(name: String, value: String)] {
        let signed = signedString(transmissionID: transmissionID, time: time, webhookID: webhookID, body: body)
        let signature = try key.signature(for: SHA256.hash(data: Array(signed.utf8)), padding: .insecurePKCS1v1_5)
        return [
            ("PAYPAL-TRANSMISSION-ID", transmissionID),
            ("PAYPAL-TRANSMISSION-TIME", time),
            ("PAYPAL-TRANSMISSION-SIG", signature.rawRepresentation.base64EncodedString()),
            ("PAYPAL-CERT-URL", certURL),
            ("PAYPAL-AUTH-ALGO", algorithm),
        ]
    }
}
