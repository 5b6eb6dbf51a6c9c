#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// The one JSON encoding of a payment event: the envelope `{"source","detail-type","time","detail"}`
/// with sorted keys and RFC 3339 times in UTC with milliseconds. The local bus stores it, the outbox
/// stores it, `payments events` prints it, and EventBridge gets its `detail` as the entry's Detail, so
/// a consumer sees the same bytes wherever the event came from.
extension PaymentEvent {
    /// Written by hand, in the bytes `JSONEncoder` with sorted keys would produce (a property test
    /// compares the two): every stored change writes one, and the encoder cost more than the SQL.
    public func encoded() -> EncodedEvent {
        EncodedEvent(id: id, source: source, detailType: detailType, time: time) { detail.write(to: &$0) }
    }

    public func json() throws -> [UInt8] { encoded().json }

    /// The `detail` object alone, as PutEvents takes it.
    public func detailJSON() throws -> [UInt8] { Array(encoded().detailJSON) }

    /// Reads a payment event from its one encoding.
    public init(_ event: EncodedEvent) throws {
        self.init(source: event.source, detailType: event.detailType, time: event.time,
                  detail: try Self.decoder.decode(Detail.self, from: Data(event.detailJSON)))
    }

    /// What `JSONEncoder` makes of the event with this encoding's settings: the reference the
    /// hand-written form is tested against.
    package func encodedByJSONEncoder() throws -> [UInt8] {
        Array(try Self.encoder.encode(self))
    }

    public init(json bytes: [UInt8]) throws {
        self = try Self.decoder.decode(PaymentEvent.self, from: Data(bytes))
    }

    public init(detailJSON bytes: [UInt8], detailType: String, time: Date) throws {
        self.init(source: Self.source, detailType: detailType, time: time, detail: try Self.decoder.decode(Detail.self, from: Data(bytes)))
    }

    // The reference `encodedByJSONEncoder` compares with (tests): no event is written with it.
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

extension PaymentEvent.Detail {
    /// The keys in sorted order; optional fields are left out when absent, as `encodeIfPresent` does.
    func write(to writer: inout JSONTextWriter) {
        writer.raw("{\"amount\":")
        writer.integer(amount)
        writer.raw(",\"currency\":")
        writer.string(currency)
        if let customerEmail {
            writer.raw(",\"customerEmail\":")
            writer.string(customerEmail)
        }
        if let customerPhone {
            writer.raw(",\"customerPhone\":")
            writer.string(customerPhone)
        }
        writer.raw(",\"eventId\":")
        writer.string(eventId)
        writer.raw(",\"orderId\":")
        writer.string(orderId)
        writer.raw(",\"paymentId\":")
        writer.string(paymentId)
        if let previousStatus {
            writer.raw(",\"previousStatus\":")
            writer.string(previousStatus.rawValue)
        }
        writer.raw(",\"provider\":")
        writer.string(provider)
        if let providerReference {
            writer.raw(",\"providerReference\":")
            writer.string(providerReference)
        }
        writer.raw(",\"refundedAmount\":")
        writer.integer(refundedAmount)
        writer.raw(",\"status\":")
        writer.string(status.rawValue)
        writer.raw(",\"time\":")
        writer.string(Timestamp.string(time))
        writer.raw(",\"version\":")
        writer.integer(version)
        writer.raw("}")
    }
}

extension EventPublisher {
    /// Publishes payment events in their one encoding.
    @discardableResult
    public func publish(_ events: [PaymentEvent]) throws -> PublishResult {
        try publish(events.map { $0.encoded() })
    }
}
