#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import _CryptoExtras
@testable import PayPalProvider
import X509

/// What PAYPAL-CERT-URL serves (PEM, read by swift-certificates) and a DER certificate as such:
/// the chain check against the fixture root, the leaf's names and key usage, the RSA key. A first
/// byte below 0x80 reads the rest as PEM, otherwise as DER.
extension FuzzTarget {
    static let paypalCertificates = FuzzTarget(name: "paypal-certificates", prepare: { _ = PayPalFuzzFixtures.root }) { bytes in
        guard let mode = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        let chain: [Certificate]
        if mode < 0x80 {
            let pem = String(decoding: rest, as: UTF8.self)
            _ = try? PayPalCertificates(.pinned(pem: pem))
            guard let parsed = PayPalCertificates.parseCertificates(pem), !parsed.isEmpty else { return }
            _ = PayPalCertificates.parseCertificates(pem, skippingUnreadable: true)
            chain = parsed
        } else {
            guard let certificate = try? Certificate(derEncoded: rest) else { return }
            chain = [certificate]
        }
        let time = Date(timeIntervalSince1970: 1_764_000_001)
        _ = PayPalCertificates.isPayPalLeaf(chain[0])
        _ = try? chain[0].extensions.keyUsage
        _ = try? chain[0].extensions.basicConstraints
        _ = _RSA.Signing.PublicKey(chain[0].publicKey)
        do {
            try PayPalCertificates.verifyChain(chain, roots: [PayPalFuzzFixtures.root], at: time)
            // Only the fixture leaf (or a chain the fixture root really signed) may pass.
            check(chain.contains { $0.issuer == PayPalFuzzFixtures.root.subject }, "a chain passed that the fixture root did not sign")
        } catch {}
    }
}

extension PayPalFuzzFixtures {
    static let root: Certificate = try! Certificate(pemEncoded: caPEM)
}
