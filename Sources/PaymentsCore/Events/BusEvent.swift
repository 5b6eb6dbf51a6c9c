#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An event of any service of the shop, as the bus carries it: an envelope (`source`, `detail-type`,
/// `time`) around a detail whose `eventId` makes it unique. Payment events and the consumers' own
/// events (`ServiceEvent`) are both this, so one publisher, one outbox relay and one local bus serve all.
public protocol BusEvent: Sendable {
    /// `detail.eventId`: consumers drop repeats by it.
    var id: String { get }
    var source: String { get }
    var detailType: String { get }
    var time: Date { get }
    /// The whole envelope in the event's one JSON encoding (sorted keys, UTC times with milliseconds).
    func json() throws -> [UInt8]
    /// The `detail` object alone, as EventBridge's PutEvents takes it.
    func detailJSON() throws -> [UInt8]
}

extension PaymentEvent: BusEvent {}
