#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An event of any service in its one encoding, as outboxes store it and buses carry it: the envelope
/// `{"detail":…,"detail-type":…,"source":…,"time":…}` (sorted keys, RFC 3339 UTC times with
/// milliseconds) around a detail whose `eventId` makes it unique. The text written with the change is
/// the text published: from the outbox row to the bus nothing decodes and re-encodes it.
public struct EncodedEvent: Sendable, Hashable {
    /// The whole envelope, verbatim.
    public let json: [UInt8]
    /// `detail.eventId`: consumers drop repeats by it.
    public let id: String
    public let source: String
    public let detailType: String
    public let time: Date
    private let detailRange: Range<Int>

    /// The `detail` object's text within `json`, as EventBridge's PutEvents takes it.
    public var detailJSON: ArraySlice<UInt8> { json[detailRange] }

    /// Writes the envelope around a detail that `writeDetail` writes (a JSON object holding `eventId`).
    public init(id: String, source: String, detailType: String, time: Date, writeDetail: (inout JSONTextWriter) -> Void) {
        var writer = JSONTextWriter()
        writer.raw("{\"detail\":")
        let start = writer.bytes.count
        writeDetail(&writer)
        let end = writer.bytes.count
        writer.raw(",\"detail-type\":")
        writer.string(detailType)
        writer.raw(",\"source\":")
        writer.string(source)
        writer.raw(",\"time\":")
        writer.string(Timestamp.string(time))
        writer.raw("}")
        self.json = writer.bytes
        self.id = id
        self.source = source
        self.detailType = detailType
        self.time = time
        self.detailRange = start..<end
    }

    /// Reads a stored event. It must be an envelope with a string `source`, `detail-type` and `time`
    /// and an object `detail` with a string `eventId`; anything else is refused, naming what is wrong.
    public init(json bytes: [UInt8]) throws(UnreadableEvent) {
        // The whole text is read and checked, but only these four values are built: a drain reads one
        // event per change written.
        let fields: JSONCaptures
        do {
            fields = try JSONCaptures(parsing: bytes, paths: Self.fieldsRead)
        } catch {
            throw UnreadableEvent("a stored event is not JSON: \(error)")
        }
        guard fields.hasParentObject(3) else { throw UnreadableEvent("a stored event has no detail object") }
        guard let id = fields[3]?.string, !id.isEmpty else { throw UnreadableEvent("a stored event has no detail.eventId") }
        guard let source = fields[0]?.string, let detailType = fields[1]?.string else {
            throw UnreadableEvent("a stored event has no source or detail-type")
        }
        // Outboxes written before this encoding hold epoch milliseconds: still read them.
        let time: Date
        switch fields[2] {
        case .string(let text)?:
            guard let date = Timestamp.date(text) else { throw UnreadableEvent("a stored event's time is not an RFC 3339 UTC time") }
            time = date
        case .number(let text)?:
            guard let milliseconds = Double(text) else { throw UnreadableEvent("a stored event's time is not a number") }
            time = Date(timeIntervalSince1970: milliseconds / 1000)
        default:
            throw UnreadableEvent("a stored event has no time")
        }
        guard let range = JSONMemberRange.of("detail", inObject: bytes) else { throw UnreadableEvent("a stored event has no detail object") }
        self.json = bytes
        self.id = id
        self.source = source
        self.detailType = detailType
        self.time = time
        self.detailRange = range
    }

    static let fieldsRead = JSONPaths([["source"], ["detail-type"], ["time"], ["detail", "eventId"]])

    public static func == (a: EncodedEvent, b: EncodedEvent) -> Bool { a.json == b.json }
    public func hash(into hasher: inout Hasher) { hasher.combine(json) }
}

/// A stored event that cannot be read: it can never be published as it is.
public struct UnreadableEvent: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
