#if canImport(Glibc)
import Glibc
#endif
import Platform

/// Writes to file descriptor 2 directly: C's `stderr` global is not concurrency-safe in Swift 6.
public func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
        guard written > 0 else { return }
        offset += written
    }
}
