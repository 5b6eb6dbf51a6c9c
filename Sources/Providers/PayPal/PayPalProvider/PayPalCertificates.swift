#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
import SwiftASN1
import Synchronization
import X509

/// Where the key that signs PayPal's webhooks comes from.
///
/// - `pinned`: `PAYPAL_WEBHOOK_CERT` names a local PEM certificate that is trusted as it is: the
///   PAYPAL-CERT-URL is never fetched. Only its validity period is checked (at the delivery time).
///   For tests and air-gapped runs, or to pin PayPal's certificate in production.
/// - `downloaded`: the certificate at PAYPAL-CERT-URL (one of PayPal's certificate URLs, checked before
///   any request: `PayPalCertificateURL`) is fetched once per URL and cached. It must chain to a root in
///   `PAYPAL_TRUSTED_ROOTS` (a PEM bundle; default the system bundle), through intermediates served after
///   it in the same PEM, every certificate valid at the delivery time, every issuer a CA, and the leaf
///   named for a PayPal host (SAN DNS name, or CN without SAN, ending in `.paypal.com`).
///
/// Forged deliveries must not be able to make this service download or forget certificates, so:
/// - verified chains are kept in a bounded cache that evicts its least recently used entry, one at a time
///   (only certificates PayPal serves and that chain to a trusted root ever get in);
/// - a failed download (no answer, an error status, not a PEM) is remembered for `failureTTL` seconds:
///   its URL is not fetched again until then;
/// - after a failed download, no URL that is not cached is fetched for `failureTTL` seconds either:
///   deliveries naming one are answered 503 (PayPal delivers again later), so a stream of forged
///   deliveries with ever new certificate names costs one download a minute, not one each.
public final class PayPalCertificates: Sendable {
    public enum Source: Sendable {
        case pinned(pem: String)
        case downloaded(trustedRootsPath: String, client: any HTTPClient)
    }

    package static let systemRootsPath = "/etc/ssl/certs/ca-certificates.crt"
    /// Verified chains kept at most (PayPal rotates its certificate rarely).
    public static let defaultCacheLimit = 32
    /// Seconds a failed download is remembered.
    public static let defaultFailureTTL = 60.0

    let source: Source
    let pinned: Certificate?
    let failureTTL: Double
    private let downloads: Mutex<DownloadState>
    private let roots = Mutex<[Certificate]?>(nil)

    /// What the downloads so far left behind.
    struct DownloadState {
        var chains: RecentlyUsedCache<[Certificate]>
        /// URL → why its download failed and until when (seconds since the epoch) that answer stands.
        var failures: RecentlyUsedCache<(error: WebhookError, until: Double)>
        /// Until when no uncached URL is fetched, after a failed download.
        var fetchesPausedUntil = -Double.infinity
    }

    /// - Throws: `ConfigurationError` when the pinned PEM holds no certificate.
    public init(_ source: Source, cacheLimit: Int = defaultCacheLimit, failureTTL: Double = defaultFailureTTL) throws(ConfigurationError) {
        self.source = source
        self.failureTTL = failureTTL
        downloads = Mutex(DownloadState(chains: RecentlyUsedCache(capacity: max(cacheLimit, 1)),
                                        failures: RecentlyUsedCache(capacity: max(cacheLimit, 1) * 2)))
        if case .pinned(let pem) = source {
            do {
                pinned = try Certificate(pemEncoded: pem)
            } catch {
                throw ConfigurationError("PAYPAL_WEBHOOK_CERT does not hold a PEM certificate")
            }
        } else {
            pinned = nil
        }
    }

    /// The leaf certificate whose key must have signed the delivery.
    func signingCertificate(url: String, at time: Date) throws(WebhookError) -> Certificate {
        guard PayPalCertificateURL.isAllowed(url) else {
            throw .unverified("PAYPAL-CERT-URL is not an https URL on a PayPal host; it was not fetched.")
        }
        switch source {
        case .pinned:
            let certificate = pinned!
            try Self.checkValidity(certificate, at: time, what: "The pinned PAYPAL_WEBHOOK_CERT certificate")
            return certificate
        case .downloaded(let rootsPath, let client):
            let chain: [Certificate]
            if let cached = downloads.withLock({ $0.chains.value(for: url) }) {
                chain = cached
            } else {
                chain = try fetch(url, client: client, at: time.timeIntervalSince1970)
                let trusted = try trustedRoots(rootsPath)
                try Self.verifyChain(chain, roots: trusted, at: time)
                downloads.withLock { $0.chains.insert(chain, for: url) }
                return chain[0]
            }
            // Cached chains were verified once; validity is checked again at each delivery's time.
            for (index, certificate) in chain.enumerated() {
                try Self.checkValidity(certificate, at: time, what: index == 0 ? "PayPal's signing certificate" : "An intermediate certificate")
            }
            return chain[0]
        }
    }

    /// Downloads `url` unless a recent failure stands in the way; remembers a failure.
    func fetch(_ url: String, client: any HTTPClient, at now: Double) throws(WebhookError) -> [Certificate] {
        let refusal: WebhookError? = downloads.withLock { state in
            if let failure = state.failures.value(for: url) {
                if now < failure.until { return failure.error }
                state.failures.remove(url)
            }
            guard now >= state.fetchesPausedUntil else {
                return .unavailable("PayPal's signing certificate is not fetched now: a certificate download failed moments ago. Deliver again later.")
            }
            return nil
        }
        if let refusal { throw refusal }
        do {
            return try download(url, client: client)
        } catch {
            downloads.withLock { state in
                state.failures.insert((error, now + failureTTL), for: url)
                state.fetchesPausedUntil = now + failureTTL
            }
            throw error
        }
    }

    /// Verified chains cached, least recently used first (tests).
    var cachedURLs: [String] { downloads.withLock { $0.chains.keys } }

    func download(_ url: String, client: any HTTPClient) throws(WebhookError) -> [Certificate] {
        let response: HTTPResponse
        do {
            response = try client.send(HTTPRequest(method: "GET", url: url, headers: [("Accept", "*/*")], timeout: 10, isIdempotent: true))
        } catch {
            throw .unavailable("PayPal's signing certificate could not be fetched: \(error)")
        }
        switch response.status {
        case 200...299: break
        case 429, 500...599: throw .unavailable("PayPal answered \(response.status) for its signing certificate")
        default: throw .unverified("PAYPAL-CERT-URL answered \(response.status); no certificate to verify with.")
        }
        guard response.body.count <= 64 * 1024, let chain = Self.parseCertificates(String(decoding: response.body, as: UTF8.self)), !chain.isEmpty else {
            throw .unverified("PAYPAL-CERT-URL did not serve a PEM certificate.")
        }
        return chain
    }

    func trustedRoots(_ path: String) throws(WebhookError) -> [Certificate] {
        if let loaded = roots.withLock({ $0 }) { return loaded }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)),
              let parsed = Self.parseCertificates(String(decoding: data, as: UTF8.self), skippingUnreadable: true), !parsed.isEmpty
        else {
            throw .unavailable("No trusted root certificates could be read from PAYPAL_TRUSTED_ROOTS.")
        }
        roots.withLock { $0 = parsed }
        return parsed
    }

    /// Every CERTIFICATE block of a PEM text; nil if one is unreadable (unless skipped, as in a system bundle).
    static func parseCertificates(_ pem: String, skippingUnreadable: Bool = false) -> [Certificate]? {
        guard let documents = try? PEMDocument.parseMultiple(pemString: pem) else { return nil }
        var certificates: [Certificate] = []
        for document in documents where document.discriminator == "CERTIFICATE" {
            if let certificate = try? Certificate(pemDocument: document) {
                certificates.append(certificate)
            } else if !skippingUnreadable {
                return nil
            }
        }
        return certificates
    }

    static func checkValidity(_ certificate: Certificate, at time: Date, what: String) throws(WebhookError) {
        guard certificate.notValidBefore <= time else { throw .unverified("\(what) is not valid yet at the delivery time.") }
        guard time <= certificate.notValidAfter else { throw .unverified("\(what) has expired.") }
    }

    /// Leaf first, then the intermediates PayPal served; the path must end at a trusted root.
    static func verifyChain(_ chain: [Certificate], roots: [Certificate], at time: Date) throws(WebhookError) {
        let leaf = chain[0]
        try checkValidity(leaf, at: time, what: "PayPal's signing certificate")
        guard isPayPalLeaf(leaf) else { throw .unverified("The signing certificate is not issued to a PayPal host name.") }
        if let usage = try? leaf.extensions.keyUsage, !usage.digitalSignature {
            throw .unverified("The signing certificate may not sign (no digitalSignature key usage).")
        }
        var intermediates = Array(chain.dropFirst())
        var current = leaf
        for _ in 0..<6 {
            if roots.contains(current) { return }
            if let root = roots.first(where: { $0.subject == current.issuer && $0.publicKey.isValidSignature(current.signature, for: current) }) {
                try checkValidity(root, at: time, what: "The trusted root certificate")
                return
            }
            guard let index = intermediates.firstIndex(where: { $0.subject == current.issuer && $0.publicKey.isValidSignature(current.signature, for: current) }) else {
                throw .unverified("PayPal's signing certificate does not chain to a trusted root.")
            }
            let issuer = intermediates.remove(at: index)
            try checkValidity(issuer, at: time, what: "An intermediate certificate")
            guard case .isCertificateAuthority? = try? issuer.extensions.basicConstraints else {
                throw .unverified("An intermediate certificate is not a certificate authority.")
            }
            current = issuer
        }
        throw .unverified("PayPal's certificate chain is too long.")
    }

    /// The leaf names a PayPal host: a SAN DNS name, or (without SANs) the subject's common name.
    static func isPayPalLeaf(_ certificate: Certificate) -> Bool {
        if let names = try? certificate.extensions.subjectAlternativeNames {
            var dnsNames: [String] = []
            for name in names { if case .dnsName(let dns) = name { dnsNames.append(dns) } }
            if !dnsNames.isEmpty { return dnsNames.contains(where: PayPalCertificateURL.isPayPalName) }
        }
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                if PayPalCertificateURL.isPayPalName(String(describing: attribute.value)) { return true }
            }
        }
        return false
    }
}
