import _CryptoExtras
import Crypto
import Foundation
import PayPalProvider
import X509

/// The key and certificate the PayPal simulator signs webhooks with, kept in a state folder
/// (`.simulator/paypal/` by default) so that `api` and `send` runs share them. The webhook function
/// trusts the certificate when `PAYPAL_WEBHOOK_CERT` names `cert.pem` (a pinned certificate is
/// trusted as it is, as a test CA's leaf is in Tests/Fixtures/PayPal/certs).
public struct PayPalSimulatorKeys: Sendable {
    public let key: _RSA.Signing.PrivateKey
    public let certificatePEM: String
    public let certificatePath: String

    /// PayPal's real signing certificates live under this URL; the verifier requires a PayPal host.
    public static let certURL = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-payments-simulator"

    /// Reads the key and certificate from `directory`, making them (2048-bit RSA, self-signed,
    /// named messageverificationcerts.paypal.com, valid ten years) when absent.
    public static func loadOrCreate(in directory: String) throws -> PayPalSimulatorKeys {
        let keyPath = (directory as NSString).appendingPathComponent("key.pem")
        let certPath = (directory as NSString).appendingPathComponent("cert.pem")
        let files = FileManager.default
        if files.fileExists(atPath: keyPath), files.fileExists(atPath: certPath) {
            let key = try _RSA.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: keyPath, encoding: .utf8))
            let pem = try String(contentsOfFile: certPath, encoding: .utf8)
            let certificate = try Certificate(pemEncoded: pem)
            guard let certified = _RSA.Signing.PublicKey(certificate.publicKey), certified.derRepresentation == key.publicKey.derRepresentation else {
                throw SimulatorError("\(certPath) does not hold the certificate of \(keyPath); delete both to make a new pair.")
            }
            return PayPalSimulatorKeys(key: key, certificatePEM: pem, certificatePath: certPath)
        }
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let name = try DistinguishedName {
            CommonName("messageverificationcerts.paypal.com")
            OrganizationName("payments simulate (NOT PayPal)")
        }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-86_400), notValidAfter: now.addingTimeInterval(10 * 365 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                KeyUsage(digitalSignature: true)
                SubjectAlternativeNames([.dnsName("messageverificationcerts.paypal.com")])
            },
            issuerPrivateKey: .init(key))
        let pem = try certificate.serializeAsPEM().pemString + "\n"
        guard files.createFile(atPath: keyPath, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SimulatorError("Cannot write \(keyPath).")
        }
        try Data(pem.utf8).write(to: URL(fileURLWithPath: certPath))
        return PayPalSimulatorKeys(key: key, certificatePEM: pem, certificatePath: certPath)
    }

    public init(key: _RSA.Signing.PrivateKey, certificatePEM: String, certificatePath: String) {
        self.key = key
        self.certificatePEM = certificatePEM
        self.certificatePath = certificatePath
    }
}
