#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one JSON encoding of a payment event: the envelope `{"source","detail-type","time","detail"}`
/// with sorted keys and RFC 3339 times in UTC with milliseconds. The local bus stores it, the outbox
/// stores it, `payments events` prints it, and EventBridge gets its `detail` as the entry's Detail, so
/// a consumer sees the same bytes wherever the event came from.
extension PaymentEvent {
    public func json() throws -> [UInt8] {
        Array(try Self.encoder.encode(self))
    }

    /// The `detail` object alone, as PutEvents takes it.
    public func detailJSON() throws -> [UInt8] {
        Array(try Self.encoder.encode(detail))
    }

    public init(json bytes: [UInt8]) throws {
        self = try Self.decoder.decode(PaymentEvent.self, from: Data(bytes))
    }

    public init(detailJSON bytes: [UInt8], detailType: String, time: Date) throws {
        self.init(source: Self.source, detailType: detailType, time: time, detail: try Self.decoder.decode(Detail.self, from: Data(bytes)))
    }

    // Built once per process: making an encoder is a measurable part of a webhook.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.string(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            // Outboxes written before this encoding hold epoch milliseconds: still read them.
            if let milliseconds = try? container.decode(Double.self) { return Date(timeIntervalSince1970: milliseconds / 1000) }
            let text = try container.decode(String.self)
            guard let date = Timestamp.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 UTC time")
            }
            return date
        }
        return decoder
    }()
}
