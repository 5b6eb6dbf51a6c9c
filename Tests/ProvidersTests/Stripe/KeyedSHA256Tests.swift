import Crypto
import PaymentsCore
import Platform
import PropertyBased
@testable import StripeProvider
import Testing
import TestSupport

/// The Stripe signature's own HMAC-SHA256 against swift-crypto's, on keys shorter than, as long as and
/// longer than the 64-byte block, and on messages split anywhere.
@Suite struct KeyedSHA256Tests {
    @Test func agreesWithSwiftCryptosHMAC() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...Int.max)) { seed in
            var random = SeededGenerator(seed: UInt64(seed))
            let key = (0..<Int.random(in: 0...150, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let message = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let split = Int.random(in: 0...message.count, using: &random)
            let ours = KeyedSHA256(key: SymmetricKey(data: key)).authenticationCode(of: Array(message[..<split]), then: Array(message[split...]))
            let theirs = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
            #expect(Array(ours) == Array(theirs), "key \(key.count) bytes, message \(message.count) split at \(split)")
        }
    }

    @Test func rfc4231TestCase2() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        let mac = KeyedSHA256(key: SymmetricKey(data: Array("Jefe".utf8))).authenticationCode(of: Array("what do ya want ".utf8), then: Array("for nothing?".utf8))
        #expect(Hex.encode(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }
}
