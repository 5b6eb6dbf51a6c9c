/// Trimming, for every reader of headers, lists and XML text: over UTF-8 bytes, since an ASCII test
/// is exact there (no byte of a multi-byte character is ASCII) and stepping Characters costs far more.
extension BidirectionalCollection where Element == UInt8 {
    /// This slice without the bytes `isTrimmed` accepts at either end (no copy).
    @inlinable
    public func trimmingASCII(_ isTrimmed: (UInt8) -> Bool) -> SubSequence {
        var start = startIndex, end = endIndex
        while start != end, isTrimmed(self[start]) { formIndex(after: &start) }
        while start != end {
            let last = index(before: end)
            guard isTrimmed(self[last]) else { break }
            end = last
        }
        return self[start..<end]
    }
}

extension StringProtocol {
    /// The text without the ASCII bytes `isTrimmed` accepts at either end.
    @inlinable
    public func trimmingASCII(_ isTrimmed: (UInt8) -> Bool) -> String {
        String(Substring(Substring(self).utf8.trimmingASCII(isTrimmed)))
    }
}

extension UInt8 {
    /// Space or tab: the optional whitespace around an HTTP field value (RFC 9110's OWS).
    @inlinable
    public var isSpaceOrTab: Bool { self == UInt8(ascii: " ") || self == UInt8(ascii: "\t") }

    /// Space, tab, CR or LF: XML's whitespace, and what surrounds a raw header line's value.
    @inlinable
    public var isASCIIWhitespace: Bool { isSpaceOrTab || self == UInt8(ascii: "\r") || self == UInt8(ascii: "\n") }
}
