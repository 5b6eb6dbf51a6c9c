import Foundation
import XCTest
import PaymentsCore
import Platform
@testable import StripeProvider

/// Stripe-Signature verification, over the SDK-signed fixtures and edge cases of the header.
final class StripeSignatureTests: XCTestCase {
    let secret = StripeWebhookKit.secret
    let timestamp = Double(StripeWebhookKit.timestamp)
    var body: [UInt8]!
    var header: String!

    override func setUpWithError() throws {
        let event = try Fixtures.event("Stripe/webhooks/04-payment_intent.succeeded.json")
        body = event.rawBody()
        header = event.header("Stripe-Signature")
    }

    func verify(_ header: String?, body: [UInt8]? = nil, secrets: [String]? = nil, now: Double? = nil) throws {
        try StripeSignature(secrets: secrets ?? [secret]).verify(header: header, body: body ?? self.body, now: now ?? timestamp)
    }

    func assertRefused(_ header: String?, body: [UInt8]? = nil, secrets: [String]? = nil, now: Double? = nil, _ reason: String,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try verify(header, body: body, secrets: secrets, now: now), file: file, line: line) { error in
            guard case .unverified(let detail)? = error as? WebhookError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertTrue(detail.contains(reason), "\(detail)", file: file, line: line)
        }
    }

    func testEverySDKSignedFixtureVerifies() throws {
        let manifest = try Fixtures.json("Stripe/webhooks/manifest.json")
        let events = try XCTUnwrap(manifest["events"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(events.count, 9)
        for entry in events {
            let event = try Fixtures.event("Stripe/webhooks/\(entry["file"] as! String)")
            XCTAssertNoThrow(try verify(event.header("Stripe-Signature"), body: event.rawBody()), "\(entry["file"]!)")
        }
    }

    func testOurHeaderMatchesTheSDKs() {
        XCTAssertEqual(StripeSignature.header(body: body, secret: secret, timestamp: Int(timestamp)), header)
    }

    func testWithinToleranceEitherSide() throws {
        XCTAssertNoThrow(try verify(header, now: timestamp + 300))
        XCTAssertNoThrow(try verify(header, now: timestamp - 300))
    }

    func testExpiredAndFutureTimestampsAreRefused() {
        assertRefused(header, now: timestamp + 301, "tolerance")
        assertRefused(header, now: timestamp - 301, "tolerance")
    }

    func testMissingAndMalformedHeadersAreRefused() {
        assertRefused(nil, "missing")
        assertRefused("", "missing")
        assertRefused("garbage", "malformed")
        assertRefused("t=abc,v1=00", "not a number")
        assertRefused("v1=\(header.split(separator: "=").last!)", "no timestamp")
        assertRefused("t=\(Int(timestamp))", "no v1")
        assertRefused("t=\(Int(timestamp)),v0=\(String(repeating: "0", count: 64))", "no v1")
    }

    func testTamperedBodyWrongSecretAndNonHexSignaturesAreRefused() {
        var tampered = body!
        tampered[10] ^= 0x01
        assertRefused(header, body: tampered, "No Stripe-Signature")
        assertRefused(header, secrets: ["whsec_other"], "No Stripe-Signature")
        assertRefused("t=\(Int(timestamp)),v1=zz", "no v1")
        let truncated = String(header.dropLast(2))
        assertRefused(truncated, "No Stripe-Signature")
    }

    func testAnyOfSeveralSignaturesAndAnyOfSeveralSecretsMatch() throws {
        let v1 = header.components(separatedBy: "v1=")[1]
        let other = String(repeating: "ab", count: 32)
        XCTAssertNoThrow(try verify("t=\(Int(timestamp)),v1=\(other),v1=\(v1),v0=\(other)"))
        XCTAssertNoThrow(try verify(header, secrets: ["whsec_new_secret", secret]), "rolling secrets: the old one still verifies")
        XCTAssertNoThrow(try verify(" t=\(Int(timestamp)) , v1=\(v1) "), "spaces around elements")
    }
}
