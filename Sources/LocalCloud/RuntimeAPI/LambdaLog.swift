import Foundation

/// Where the local Lambda's log lines go: each one prefixed with the function's name and, when known,
/// the request id, so the output of several functions and instances stays readable when interleaved.
public struct LambdaLog: Sendable {
    private let sink: @Sendable (String) -> Void

    /// `sink` receives whole, prefixed lines without a newline.
    public init(sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// Standard error, one `write` per line so lines of concurrent children never mix.
    public static let standardError = LambdaLog { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    func write(_ function: String, _ requestID: String?, _ line: String) {
        sink(requestID.map { "[\(function) \($0)] \(line)" } ?? "[\(function)] \(line)")
    }
}
