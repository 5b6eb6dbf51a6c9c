#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
@testable import PayPalProvider

/// PayPal's PAYPAL-* headers, as a forger controls them: the input's first five lines are the
/// transmission id, time, signature, certificate URL and algorithm, the rest is the body. The
/// delivery arrives at the transmission's own time, so the fuzzer gets past the replay window to
/// the certificate URL check and the RSA check against the pinned fixture certificate.
extension FuzzTarget {
    static let paypalTransmission = FuzzTarget(name: "paypal-transmission", prepare: { _ = (PayPalFuzzFixtures.authenticator, PayPalFuzzFixtures.signatures) }) { bytes in
        let parts = fields(bytes, count: 6)
        let names = ["PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-TIME", "PAYPAL-TRANSMISSION-SIG", "PAYPAL-CERT-URL", "PAYPAL-AUTH-ALGO"]
        var headers: [String: String] = [:]
        for (name, value) in zip(names, parts) { headers[name.lowercased()] = value }
        let body = parts.count > 5 ? Array(parts[5].utf8) : []
        let time = parts.count > 1 ? parts[1] : ""
        let parsed = PayPalTransmission.parseTime(time)
        if let parsed { check(parsed.isFinite, "a transmission time read as \(parsed)") }
        let url = parts.count > 3 ? parts[3] : ""
        if PayPalCertificateURL.isAllowed(url) {
            // The allowed host is the URL's authority as written, byte for byte, not a look-alike of it.
            let authority = url.utf8.dropFirst(8).prefix { $0 != UInt8(ascii: "/") }
            check(PayPalCertificateURL.hosts.contains(String(decoding: authority, as: UTF8.self)), "an allowed certificate URL names no PayPal host as written")
        }
        let request = APIGatewayV2Request(method: "POST", path: "/webhooks/paypal", headers: headers, body: String(decoding: body, as: UTF8.self))
        let delivery = WebhookDelivery(body: body, request: request, receivedAt: parsed ?? 1_764_000_001)
        do {
            _ = try PayPalFuzzFixtures.authenticator.notifications(in: delivery)
            // Only the fixtures' own signatures (made with the leaf's private key) may verify.
            let signature = (try? PayPalTransmission(delivery))?.signature ?? []
            check(PayPalFuzzFixtures.signatures.contains(signature), "a delivery the fuzzer signed verified without PayPal's key")
        } catch {}
    }
}

/// The committed test certificates and signed deliveries (Tests/Fixtures/PayPal), read once from the repository
/// the fuzzer runs in (scripts/fuzz.sh runs it from the top).
enum PayPalFuzzFixtures {
    static func text(_ name: String) -> String {
        let path = "Tests/Fixtures/PayPal/\(name)"
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else { fatalError("cannot read \(path): run from the repository's top") }
        return String(decoding: data, as: UTF8.self)
    }

    static let leafPEM = text("certs/leaf.pem")
    static let caPEM = text("certs/ca.pem")

    static let manifest: JSONValue = {
        guard let manifest = try? JSONValue(parsing: text("webhooks/manifest.json")) else { fatalError("no PayPal webhook manifest") }
        return manifest
    }()

    /// The transmission signatures of the signed fixture deliveries (the corpus's seeds).
    static let signatures: Set<[UInt8]> = {
        guard case .array(let events)? = manifest["events"] else { fatalError("the PayPal webhook manifest lists no events") }
        return Set(events.compactMap { $0["transmissionSig"]?.string.flatMap { Data(base64Encoded: $0) }.map(Array.init) })
    }()

    static let authenticator: PayPalWebhookAuthenticator = {
        let certificates = try! PayPalCertificates(.pinned(pem: leafPEM))
        let verifier = PayPalWebhookVerifier(webhookID: manifest["webhookId"]?.string ?? "", method: .offline(certificates))
        return PayPalWebhookAuthenticator(verifier: verifier, transmissions: EveryTransmissionIsNew(), capture: nil)
    }()
}

/// The replay ledger's seam, answering that each transmission is new: the fuzzer's deliveries are
/// not replays, and what is fuzzed here is the verifier in front of the ledger.
struct EveryTransmissionIsNew: TransmissionLedger {
    func record(_ transmission: RecordedTransmission, now: Double) throws -> TransmissionLedgerOutcome { .recorded }
}
