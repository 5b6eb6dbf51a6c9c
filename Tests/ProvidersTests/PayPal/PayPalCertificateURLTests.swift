@testable import PayPalProvider
import Testing
import Platform

/// Regression tests for what fuzzing found in the PAYPAL-CERT-URL allowlist (fuzz/, the
/// paypal-transmission target; docs/security.md, "Fuzzing").
@Suite struct PayPalCertificateURLTests {
    /// U+212A KELVIN SIGN lower-cases to ASCII "k": an allowlist that folded case with
    /// String.lowercased() passed `api.\u{212A}.paypal.com` as `api.k.paypal.com`, a host the URL does
    /// not literally name. Look-alikes of the allowed hosts are refused as written.
    @Test func aHostThatOnlyLowerCasesToAPayPalHostIsRefused() {
        for host in ["api.\u{212A}.paypal.com", "api.paypal.com\u{212A}", "api.pa\u{0443}pal.com", "ap\u{0130}.paypal.com", "api-m.\u{212A}.paypal.com"] {
            let url = "https://\(host)/v1/notifications/certs/CERT-1"
            #expect(!PayPalCertificateURL.isAllowed(url), "\(url)")
        }
        #expect(PayPalCertificateURL.isAllowed("https://api.paypal.com/v1/notifications/certs/CERT-1"))
    }
}
