#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An event a service builds from plain fields (a consumer's `...Requested`, `...Sent`). Its detail is flat, keyed like every event's
/// (`eventId`, `orderId`, `status`, `time`, ...), and holds only strings and integers, so it reads back
/// exactly as written without knowing which service wrote it.
public struct ServiceEvent: Sendable, Hashable {
    public enum Value: Hashable, Sendable {
        case string(String)
        case integer(Int)

        public var string: String? {
            if case .string(let text) = self { return text }
            return nil
        }
    }

    public var source: String
    public var detailType: String
    public var time: Date
    public var detail: [String: Value]

    /// `detail` must hold `eventId`; `time` is added to it (the detail's time is the event's).
    public init(source: String, detailType: String, time: Date, detail: [String: Value]) {
        self.source = source
        self.detailType = detailType
        self.time = time
        var detail = detail
        detail["time"] = .string(Timestamp.string(time))
        self.detail = detail
    }

    public var id: String { detail["eventId"]?.string ?? "" }

    public subscript(field: String) -> String? { detail[field]?.string }

    /// Its one encoding: the detail's keys sorted, as every event's.
    public func encoded() -> EncodedEvent {
        EncodedEvent(id: id, source: source, detailType: detailType, time: time) { writer in
            writer.raw("{")
            for (index, key) in detail.keys.sorted().enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(key)
                writer.raw(":")
                switch detail[key]! {
                case .string(let text): writer.string(text)
                case .integer(let number): writer.integer(number)
                }
            }
            writer.raw("}")
        }
    }

    /// Reads an encoded event back; a detail value other than a string or an integer is refused.
    public init(_ event: EncodedEvent) throws(UnreadableEvent) {
        guard case .object(let fields)? = try? JSONValue(parsing: Array(event.detailJSON)) else {
            throw UnreadableEvent("a stored event's detail is not an object")
        }
        var detail: [String: Value] = [:]
        for (key, value) in fields {
            if let number = value.int {
                detail[key] = .integer(number)
            } else if let text = value.string {
                detail[key] = .string(text)
            } else {
                throw UnreadableEvent("a stored event's detail.\(key) is neither a string nor an integer")
            }
        }
        self.source = event.source
        self.detailType = event.detailType
        self.time = event.time
        self.detail = detail
    }

    /// Reads what `encoded().json` wrote.
    public init(json bytes: [UInt8]) throws(UnreadableEvent) {
        try self.init(EncodedEvent(json: bytes))
    }
}
