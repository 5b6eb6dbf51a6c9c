import Crypto
import Platform

/// HMAC-SHA256 (RFC 2104) with the key absorbed once: the inner and outer hash states after their
/// padded key blocks, copied for each message. swift-crypto's `HMAC<SHA256>` computes the same, but its
/// generic `update(data:)`, called from another module, resolved type metadata at run time on every
/// delivery, which cost more than hashing the body with the CPU's SHA instructions.
struct KeyedSHA256: Sendable {
    private let inner: SHA256
    private let outer: SHA256

    init(key: SymmetricKey) {
        // A key longer than the 64-byte block is hashed first; a shorter one is padded with zeros.
        var block = key.withUnsafeBytes { key in key.count > 64 ? Array(SHA256.hash(data: key)) : Array(key) }
        block += Array(repeating: 0, count: 64 - block.count)
        var inner = SHA256(), outer = SHA256()
        block.map { $0 ^ 0x36 }.withUnsafeBytes { inner.update(bufferPointer: $0) }
        block.map { $0 ^ 0x5C }.withUnsafeBytes { outer.update(bufferPointer: $0) }
        self.inner = inner
        self.outer = outer
    }

    /// The MAC of `first` followed by `second` (Stripe signs "TIMESTAMP." then the body, not copied into one).
    func authenticationCode(of first: [UInt8], then second: [UInt8]) -> SHA256.Digest {
        var inner = self.inner
        first.withUnsafeBytes { inner.update(bufferPointer: $0) }
        second.withUnsafeBytes { inner.update(bufferPointer: $0) }
        var outer = self.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }
}
