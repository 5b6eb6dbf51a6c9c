#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BraintreeProvider
import PaymentsCore
import Platform

/// Braintree's webhook form. A first byte below 0x80 makes the rest the `bt_payload` XML, base64'd
/// and signed as Braintree would (so the payload reader behind the signature is reached); otherwise
/// the rest is the form body as a forger posts it, which must never verify.
extension FuzzTarget {
    static let braintreeWebhook = FuzzTarget(name: "braintree-webhook") { bytes in
        guard let mode = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        let (publicKey, privateKey) = ("fuzz_public_key", "fuzz_private_key_0123456789abcdef")
        let authenticator = BraintreeWebhookAuthenticator(signature: BraintreeSignature(publicKey: publicKey, privateKey: privateKey))
        let body: [UInt8]
        if mode < 0x80 {
            let payload = Data(rest).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]) + "\n"
            let signature = BraintreeSignature.signature(payload: payload, publicKey: publicKey, privateKey: privateKey)
            body = Array(FormURLEncoding.encode([("bt_signature", signature), ("bt_payload", payload)]).utf8)
        } else {
            body = rest
        }
        let request = APIGatewayV2Request(method: "POST", path: "/webhooks/braintree",
                                          headers: ["content-type": "application/x-www-form-urlencoded"], body: String(decoding: body, as: UTF8.self))
        do throws(WebhookError) {
            _ = try authenticator.notifications(in: WebhookDelivery(body: body, request: request, receivedAt: 1_764_000_001))
            check(mode < 0x80, "a form the fuzzer made verified without the private key")
        } catch .unverified(let reason) {
            check(mode >= 0x80 || rest.isEmpty, "a correctly signed payload was refused: \(reason)")
        } catch {}
    }
}
