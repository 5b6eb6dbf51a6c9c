import Crypto
import PaymentsCore
import Platform

/// Braintree's webhook signature, as the official SDKs check it (braintree-python 4.48.0,
/// `webhook_notification_gateway.py` and `util/crypto.py`; see scripts/braintree_webhooks.py):
///
/// - `bt_signature` is `PUBLIC_KEY|HEX`, possibly several such pairs joined by `&` (while keys roll);
/// - HEX is the lowercase hex of HMAC-SHA1 keyed with the raw 20-byte SHA-1 digest of the private key,
///   over the `bt_payload` bytes exactly as posted (MIME base64, newlines included);
/// - the pair to check is the one carrying OUR public key; a payload that was signed with one extra
///   trailing "\n" is accepted too, as the SDK does.
/// Braintree's payload carries no signed timestamp window, so there is no replay window to apply:
/// replays are harmless because applying a notification is idempotent (the state lattice).
public struct BraintreeSignature: Sendable {
    public var publicKey: String
    let key: SymmetricKey

    public init(publicKey: String, privateKey: String) {
        self.publicKey = publicKey
        self.key = SymmetricKey(data: Array(Insecure.SHA1.hash(data: Array(privateKey.utf8))))
    }

    /// Checks `signature` (the `bt_signature` field) over `payload` (the `bt_payload` field, as posted).
    public func verify(signature: String, payload: String) throws(WebhookError) {
        guard !signature.isEmpty else { throw .unverified("bt_signature is empty.") }
        let payloadBytes = Array(payload.utf8)
        // The SDK refuses payloads with anything but base64 characters and "\n" before any HMAC work.
        guard !payloadBytes.isEmpty, payloadBytes.allSatisfy(Self.isPayloadByte) else {
            throw .unverified("bt_payload holds characters that are not base64.")
        }
        var candidates: [[UInt8]] = []
        for piece in signature.split(separator: "&") where piece.contains("|") {
            let parts = piece.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, ConstantTime.equals(Array(parts[0].utf8), Array(publicKey.utf8)) else { continue }
            // A non-hex signature cannot match; it is kept as its raw bytes so the comparison simply fails.
            candidates.append(Hex.decode(String(parts[1])) ?? Array(parts[1].utf8))
        }
        guard let candidate = candidates.first else {
            throw .unverified("bt_signature has no signature for this service's public key.")
        }
        // Like the SDK, only the first pair for our key counts. Both payload forms are always computed.
        let plain = Array(HMAC<Insecure.SHA1>.authenticationCode(for: payloadBytes, using: key))
        let withNewline = Array(HMAC<Insecure.SHA1>.authenticationCode(for: payloadBytes + [0x0A], using: key))
        let matchesPlain = ConstantTime.equals(plain, candidate)
        let matchesNewline = ConstantTime.equals(withNewline, candidate)
        guard matchesPlain || matchesNewline else { throw .unverified("bt_signature does not match bt_payload.") }
    }

    /// The `bt_signature` Braintree would send for `payload`: for tests and benchmarks.
    public static func signature(payload: String, publicKey: String, privateKey: String) -> String {
        let key = SymmetricKey(data: Array(Insecure.SHA1.hash(data: Array(privateKey.utf8))))
        return publicKey + "|" + Hex.encode(HMAC<Insecure.SHA1>.authenticationCode(for: Array(payload.utf8), using: key))
    }

    static func isPayloadByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="), 0x0A: true
        default: false
        }
    }
}
