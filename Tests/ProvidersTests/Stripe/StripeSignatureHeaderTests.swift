import PaymentsCore
import Platform
import PropertyBased
@testable import StripeProvider
import Testing
import TestSupport

/// The Stripe-Signature header is read byte by byte; these hold it to the plain reading (split at
/// commas, then at the first `=`, spaces trimmed) on generated headers full of edge cases.
@Suite struct StripeSignatureHeaderTests {
    /// The reading the byte reader replaced, kept as the specification.
    static func plainReading(_ header: String) -> Result<(Int?, [[UInt8]]), WebhookError> {
        var timestamp: Int?
        var signatures: [[UInt8]] = []
        for element in header.split(separator: ",") {
            let pair = element.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return .failure(.unverified("The Stripe-Signature header is malformed.")) }
            let key = pair[0].trimmingCharacters(in: " "), value = pair[1].trimmingCharacters(in: " ")
            if key == "t" {
                guard let number = Int(value) else { return .failure(.unverified("The Stripe-Signature timestamp is not a number.")) }
                timestamp = number
            } else if key == "v1", let bytes = Hex.decode(value) {
                signatures.append(bytes)
            }
        }
        return .success((timestamp, signatures))
    }

    static let tokens = ["t", "v1", "v0", "=", "==", ",", ",,", " ", "1700000000", "-5", "+7", "12a", "ab", "0f", "ZZ", "abc", "x"]

    @Test func readsEveryGeneratedHeaderAsThePlainReadingDoes() async {
        await propertyCheck(count: 3_000, input: Gen.int(in: 0..<Self.tokens.count).array(of: 0...12)) { picks in
            let header = picks.map { Self.tokens[$0] }.joined()
            let read = Result { () throws(WebhookError) in try StripeSignature.fields(of: header) }
            switch (read, Self.plainReading(header)) {
            case (.success(let a), .success(let b)):
                #expect(a.timestamp == b.0 && a.signatures == b.1, "\(header)")
            case (.failure(let a), .failure(let b)):
                #expect("\(a)" == "\(b)", "\(header)")
            case (let a, let b):
                Issue.record("\(header): read \(a), plainly \(b)")
            }
        }
    }
}

private extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
