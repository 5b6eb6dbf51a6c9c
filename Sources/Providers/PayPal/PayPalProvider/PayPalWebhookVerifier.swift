#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import _CryptoExtras
import Crypto
import PaymentsCore
import Platform
import X509

/// Proves a webhook delivery came from PayPal.
///
/// Offline (the default, `PAYPAL_WEBHOOK_VERIFICATION=offline`): PAYPAL-TRANSMISSION-SIG is
/// base64 RSASSA-PKCS1-v1_5 with SHA-256 over
/// `<transmission id>|<transmission time>|<PAYPAL_WEBHOOK_ID>|<CRC-32 of the raw body>` (the CRC as
/// an unsigned decimal), checked with the key of the certificate `PayPalCertificates` provides.
///
/// Online (`PAYPAL_WEBHOOK_VERIFICATION=online`): PayPal's own
/// `POST /v1/notifications/verify-webhook-signature` must answer `verification_status: SUCCESS`.
/// One HTTP call per delivery, but no certificate handling here.
///
/// Both first require every PAYPAL-* header, `PAYPAL-AUTH-ALGO: SHA256withRSA`, a PayPal
/// PAYPAL-CERT-URL, and a PAYPAL-TRANSMISSION-TIME within `tolerance` of the delivery time. PayPal
/// retries a failed delivery for up to three days, each time as a new transmission with a new time
/// and signature, so a 300 s window refuses replays without refusing PayPal's retries. Within the
/// window, the signature covers only the body's CRC-32, which can be matched by another body: the
/// authenticator's `TransmissionLedger` refuses a transmission id seen before with another body.
public struct PayPalWebhookVerifier: Sendable {
    public enum Method: Sendable {
        case offline(PayPalCertificates)
        case online(PayPalAccessTokens)
    }

    public var webhookID: String
    public var method: Method
    public var tolerance: Double

    public init(webhookID: String, method: Method, tolerance: Double = 300) {
        self.webhookID = webhookID
        self.method = method
        self.tolerance = tolerance
    }

    /// The verified transmission's headers.
    @discardableResult
    func verify(_ delivery: WebhookDelivery) throws(WebhookError) -> PayPalTransmission {
        let transmission = try PayPalTransmission(delivery)
        guard PayPalCertificateURL.isAllowed(transmission.certURL) else {
            throw .unverified("PAYPAL-CERT-URL is not an https URL on a PayPal host; it was not fetched.")
        }
        try transmission.checkFreshness(now: delivery.receivedAt, tolerance: tolerance)
        switch method {
        case .offline(let certificates):
            let certificate = try certificates.signingCertificate(url: transmission.certURL, at: Date(timeIntervalSince1970: delivery.receivedAt))
            try Self.checkSignature(transmission.signature, over: transmission.signedString(webhookID: webhookID, body: delivery.body), with: certificate)
        case .online(let tokens):
            try verifyOnline(transmission, body: delivery.body, tokens: tokens)
        }
        return transmission
    }

    static func checkSignature(_ signature: [UInt8], over signed: [UInt8], with certificate: Certificate) throws(WebhookError) {
        guard let key = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw .unverified("PayPal's signing certificate does not hold an RSA key.")
        }
        // The RSA check recomputes and compares the encoded digest inside BoringSSL, in constant time.
        let valid = key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: signed), padding: .insecurePKCS1v1_5)
        guard valid else { throw .unverified("PAYPAL-TRANSMISSION-SIG does not match the body.") }
    }

    /// https://developer.paypal.com/docs/api/webhooks/v1/#verify-webhook-signature_post
    func verifyOnline(_ transmission: PayPalTransmission, body: [UInt8], tokens: PayPalAccessTokens) throws(WebhookError) {
        // webhook_event must be the event exactly as received: the raw body is spliced in, not re-encoded.
        guard case .object? = try? JSONValue(parsing: body) else {
            throw .malformed("The body is not a JSON object.")
        }
        let request = Self.onlineRequestBody(transmission, webhookID: webhookID, body: body)
        let response: HTTPResponse
        do {
            response = try tokens.send { token in
                HTTPRequest(method: "POST", url: "\(tokens.apiBase)/v1/notifications/verify-webhook-signature",
                            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"), ("Accept", "application/json")],
                            body: request, timeout: 10, isIdempotent: true)
            }
        } catch {
            throw .unavailable("PayPal's signature verification could not be used: \(error)")
        }
        switch response.status {
        case 200...299: break
        case 400, 422: throw .unverified("PayPal refused to verify this delivery (\(response.status)).")
        default: throw .unavailable("PayPal's signature verification answered \(response.status).")
        }
        struct Answer: Decodable { var verification_status: String }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)) else {
            throw .unavailable("PayPal's signature verification answer has no verification_status.")
        }
        guard answer.verification_status == "SUCCESS" else {
            throw .unverified("PayPal did not verify this delivery (\(answer.verification_status)).")
        }
    }

    static func onlineRequestBody(_ transmission: PayPalTransmission, webhookID: String, body: [UInt8]) -> [UInt8] {
        struct Fields: Encodable {
            var auth_algo, cert_url, transmission_id, transmission_sig, transmission_time, webhook_id: String
        }
        let fields = Fields(auth_algo: transmission.authAlgorithm, cert_url: transmission.certURL, transmission_id: transmission.id,
                            transmission_sig: transmission.signatureBase64, transmission_time: transmission.time, webhook_id: webhookID)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes = Array((try? encoder.encode(fields)) ?? Data("{}".utf8))
        bytes.removeLast()  // the closing brace
        bytes += Array(#","webhook_event":"#.utf8) + body + [UInt8(ascii: "}")]
        return bytes
    }
}
