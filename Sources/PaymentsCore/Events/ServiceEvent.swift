#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An event a consumer service publishes (`shop.delivery`'s `ShipmentRequested`, `shop.notifications`'
/// `NotificationSent`...). Its detail is flat, keyed like a payment event's (`eventId`, `orderId`,
/// `paymentId`, `status`, `time`, ...), and holds only strings and integers, so it reads back exactly
/// as written without knowing which service wrote it: the outbox relay and the local bus need not.
public struct ServiceEvent: BusEvent, Codable, Hashable {
    public enum Value: Codable, Hashable, Sendable {
        case string(String)
        case integer(Int)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                self = .integer(number)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let text): try container.encode(text)
            case .integer(let number): try container.encode(number)
            }
        }

        public var string: String? {
            if case .string(let text) = self { return text }
            return nil
        }
    }

    public var source: String
    public var detailType: String
    public var time: Date
    public var detail: [String: Value]

    enum CodingKeys: String, CodingKey {
        case source
        case detailType = "detail-type"
        case time
        case detail
    }

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

    public func json() throws -> [UInt8] { Array(try PaymentEvent.encoder.encode(self)) }

    public func detailJSON() throws -> [UInt8] { Array(try PaymentEvent.encoder.encode(detail)) }

    /// Reads what `json()` wrote; an event without a string `eventId` is refused.
    public init(json bytes: [UInt8]) throws {
        self = try PaymentEvent.decoder.decode(ServiceEvent.self, from: Data(bytes))
        guard !id.isEmpty else { throw StoreError("a stored service event has no detail.eventId") }
    }
}
