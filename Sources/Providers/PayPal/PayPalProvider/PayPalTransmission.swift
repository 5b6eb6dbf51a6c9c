#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// The PAYPAL-* headers of one webhook delivery
/// (https://developer.paypal.com/api/rest/webhooks/rest/#link-eventheadervalidation).
struct PayPalTransmission: Sendable, Equatable {
    var id: String
    var time: String
    /// Seconds since the epoch of `time`.
    var timestamp: Double
    var signature: [UInt8]
    var certURL: String
    var authAlgorithm: String
    var signatureBase64: String

    static let supportedAlgorithm = "SHA256withRSA"

    init(_ delivery: WebhookDelivery) throws(WebhookError) {
        func header(_ name: String) throws(WebhookError) -> String {
            guard let value = delivery.header(name), !value.isEmpty else { throw .unverified("The \(name) header is missing.") }
            guard value.utf8.count <= 4096 else { throw .unverified("The \(name) header is too long.") }
            return value
        }
        id = try header("PAYPAL-TRANSMISSION-ID")
        time = try header("PAYPAL-TRANSMISSION-TIME")
        signatureBase64 = try header("PAYPAL-TRANSMISSION-SIG")
        certURL = try header("PAYPAL-CERT-URL")
        authAlgorithm = try header("PAYPAL-AUTH-ALGO")
        guard authAlgorithm == Self.supportedAlgorithm else {
            throw .unverified("PAYPAL-AUTH-ALGO '\(authAlgorithm)' is not supported; PayPal signs with \(Self.supportedAlgorithm).")
        }
        guard !id.contains("|") else { throw .unverified("PAYPAL-TRANSMISSION-ID is malformed.") }
        guard let timestamp = Self.parseTime(time) else { throw .unverified("PAYPAL-TRANSMISSION-TIME is not an ISO 8601 time.") }
        self.timestamp = timestamp
        guard let signature = Data(base64Encoded: signatureBase64), !signature.isEmpty else {
            throw .unverified("PAYPAL-TRANSMISSION-SIG is not base64.")
        }
        self.signature = Array(signature)
    }

    /// `<transmission id>|<transmission time>|<webhook id>|<CRC-32 of the raw body, unsigned decimal>`.
    func signedString(webhookID: String, body: [UInt8]) -> [UInt8] {
        Array("\(id)|\(time)|\(webhookID)|\(CRC32.checksum(body))".utf8)
    }

    /// Refuses a transmission outside the replay window.
    func checkFreshness(now: Double, tolerance: Double) throws(WebhookError) {
        guard abs(now - timestamp) <= tolerance else {
            throw .unverified("PAYPAL-TRANSMISSION-TIME is outside the \(Int(tolerance)) s tolerance.")
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` to seconds since the epoch.
    static func parseTime(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                  let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
}

/// Where PayPal serves its signing certificates: `https://api(-m)?(.sandbox)?.paypal.com/v1/notifications/certs/<name>`,
/// exactly, with a name of letters, digits, `-`, `_` and `.` (PayPal's are `CERT-360caa42-fca2a594-…`). Nothing
/// else is fetched: no other host, scheme, port, user info, query, fragment, path or case, so a forged
/// delivery can neither make this service fetch from a host it chooses nor vary one URL endlessly
/// (each spelling would be another download and another cache entry).
enum PayPalCertificateURL {
    static let hosts: Set<String> = ["api.paypal.com", "api.sandbox.paypal.com", "api-m.paypal.com", "api-m.sandbox.paypal.com"]
    static let path = "/v1/notifications/certs/"
    static let maximumNameLength = 128

    static func isAllowed(_ url: String) -> Bool {
        let scheme = "https://"
        guard url.hasPrefix(scheme) else { return false }
        let rest = url.utf8.dropFirst(scheme.utf8.count)
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")),
              let host = String(rest[..<slash]), hosts.contains(host),
              let tail = String(rest[slash...]), tail.hasPrefix(path)
        else { return false }
        let name = tail.utf8.dropFirst(path.utf8.count)
        return !name.isEmpty && name.count <= maximumNameLength && name.first != UInt8(ascii: ".")
            && name.allSatisfy { isNameByte($0) }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (0x61...0x7a).contains(byte) || (0x41...0x5a).contains(byte) || (0x30...0x39).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }

    /// `*.paypal.com`, as a DNS name (a certificate's SAN or CN).
    static func isPayPalName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".paypal.com") && lower.count > ".paypal.com".count && !lower.hasPrefix("*.")
            || lower == "*.paypal.com"
    }
}
