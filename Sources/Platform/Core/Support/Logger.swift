#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON-lines logging with the request id on every line. Callers pass only what is safe to keep:
/// never a header, a body, a key or a token.
public struct Logger: Sendable {
    public enum Level: String, Sendable { case debug, info, warning, error }

    public var sink: @Sendable (String) -> Void
    /// False for `discarding`, so that a benchmark pays nothing for lines nobody reads.
    public var isEnabled = true
    public var requestID: String?
    public var function: String?

    public init(function: String? = nil, requestID: String? = nil, sink: @escaping @Sendable (String) -> Void) {
        self.function = function
        self.requestID = requestID
        self.sink = sink
    }

    /// Drops every line: for benchmarks and tests that do not read logs.
    public static let discarding: Logger = {
        var logger = Logger(sink: { _ in })
        logger.isEnabled = false
        return logger
    }()

    public func with(requestID: String) -> Logger {
        var copy = self
        copy.requestID = requestID
        return copy
    }

    public func log(_ level: Level, _ message: String, _ fields: [String: String] = [:]) {
        guard isEnabled else { return }
        var line: [String: String] = fields
        line["level"] = level.rawValue
        line["message"] = message
        if let requestID { line["requestId"] = requestID }
        if let function { line["function"] = function }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(line) else { return }
        sink(String(decoding: data, as: UTF8.self))
    }

    public func info(_ message: String, _ fields: [String: String] = [:]) { log(.info, message, fields) }
    public func warning(_ message: String, _ fields: [String: String] = [:]) { log(.warning, message, fields) }
    public func error(_ message: String, _ fields: [String: String] = [:]) { log(.error, message, fields) }
}
