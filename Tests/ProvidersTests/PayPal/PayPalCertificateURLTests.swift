@testable import PayPalProvider
import Testing

/// Regression tests for what fuzzing found in the PAYPAL-CERT-URL allowlist (fuzz/, the
/// paypal-transmission target; docs/security.md, "Fuzzing").
@Suite struct PayPalCertificateURLTests {
    /// U+212A KELVIN SIGN lower-cases to ASCII "k": folded with String.lowercased(), the host
    /// `api.\u{212A}.paypal.com` passed as `api.k.paypal.com`, a host the URL does not literally name.
    @Test func aHostThatOnlyLowerCasesToAPayPalNameIsRefused() {
        for url in ["https://api.\u{212A}.paypal.com/cert", "https://\u{212A}.paypal.com/cert", "https://api.paypal.com\u{212A}/cert",
                    "https://api.pa\u{0443}pal.com/cert", "https://ap\u{0130}.paypal.com/cert"] {
            #expect(PayPalCertificateURL.paypalHost(of: url) == nil, "\(url)")
        }
    }

    @Test func theAllowedHostIsTheAuthorityAsWrittenInLowerCase() {
        #expect(PayPalCertificateURL.paypalHost(of: "https://API.PayPal.COM/v1/notifications/certs/CERT-1") == "api.paypal.com")
        #expect(PayPalCertificateURL.paypalHost(of: "https://kms.paypal.com/x") == "kms.paypal.com")
        #expect(PayPalCertificateURL.paypalHost(of: "https://KMS.PAYPAL.COM/x") == "kms.paypal.com")
    }
}
