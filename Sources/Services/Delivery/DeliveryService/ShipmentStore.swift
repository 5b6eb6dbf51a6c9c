import PaymentsCore
import Platform

/// Where Delivery keeps shipments: SQLite locally (`DELIVERY_STORE=sqlite:PATH`), DynamoDB in AWS
/// (`dynamodb:TABLE`). Every change is one atomic write of the shipment (conditioned on its version),
/// the marker of the payment event that caused it, and its events (the outbox).
public protocol ShipmentStore: Sendable {
    func shipment(orderID: String) throws -> Shipment?

    /// Whether a change caused by this payment event was stored already (its marker exists).
    func hasProcessed(eventID: String) throws -> Bool

    /// Stores `shipment` if the stored version is still `expectedVersion` (nil: there is none yet),
    /// together with the marker of `processedEventID` and `events`, or nothing at all.
    func save(_ shipment: Shipment, expectedVersion: Int?, processedEventID: String, events: [ServiceEvent]) throws -> ShipmentSaveResult
}

public enum ShipmentSaveResult: Sendable, Equatable {
    case saved
    /// Another writer stored a newer version first: read again and redo the change.
    case versionConflict
    /// The event's marker exists: another delivery of it was stored meanwhile.
    case alreadyProcessed
}
