#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSClients
import PaymentsCore
import Platform

/// `ShipmentStore` on a DynamoDB table of its own (`DELIVERY_STORE=dynamodb:TABLE`), made like the
/// payments table (key `pk`, stream NEW_AND_OLD_IMAGES):
///
/// - `SHIPMENT#<orderId>`: the order's shipment, one attribute per field, its joined state as JSON.
/// - `PROCESSED#<eventId>`: the marker of a payment event that changed a shipment, kept 15 days
///   (`expiresAt`, the table's TTL attribute): longer than SQS keeps a message, so every redelivery finds it.
/// - `OUTBOX#<eventId>`: a `shop.delivery` event waiting for `outbox-relay` (deployed on this table's stream).
///
/// Every change is one TransactWriteItems: the shipment conditioned on its version (or absent), the
/// marker (absent) and the outbox items (absent). Every read is a consistent GetItem.
public struct DynamoDBShipmentStore: ShipmentStore {
    public var table: DynamoDBTable
    /// How long a processed-event marker is kept.
    package var markerLifetime: Double = 15 * 86_400

    public init(table: DynamoDBTable) { self.table = table }

    static func shipmentKey(_ orderID: String) -> String { "SHIPMENT#\(orderID)" }
    static func processedKey(_ eventID: String) -> String { "PROCESSED#\(eventID)" }

    public func shipment(orderID: String) throws -> Shipment? {
        guard let item = try table.item(Self.shipmentKey(orderID)) else { return nil }
        guard let id = item[string: "shipmentId"], let order = item[string: "orderId"], let payments = item[string: "payments"],
              let version = item[int: "version"], let created = item[int: "createdAt"], let updated = item[int: "updatedAt"]
        else { throw StoreError("a stored shipment item is incomplete or corrupt") }
        return Shipment(shipmentID: id, orderID: order, state: try ShipmentStateCoding.decode(payments),
                        createdAt: Self.date(created), updatedAt: Self.date(updated), version: version)
    }

    public func hasProcessed(eventID: String) throws -> Bool {
        try table.item(Self.processedKey(eventID)) != nil
    }

    public func save(_ shipment: Shipment, expectedVersion: Int?, processedEventID: String, events: [ServiceEvent]) throws -> ShipmentSaveResult {
        var item = DynamoDBItem()
        item[string: "pk"] = Self.shipmentKey(shipment.orderID)
        item[string: "type"] = "shipment"
        item[string: "shipmentId"] = shipment.shipmentID
        item[string: "orderId"] = shipment.orderID
        item[string: "status"] = shipment.status.rawValue
        item[string: "paymentId"] = shipment.paymentID
        item[string: "payments"] = try ShipmentStateCoding.encode(shipment.state)
        item[int: "version"] = shipment.version
        item[int: "createdAt"] = Self.milliseconds(shipment.createdAt)
        item[int: "updatedAt"] = Self.milliseconds(shipment.updatedAt)

        var marker = DynamoDBItem()
        marker[string: "pk"] = Self.processedKey(processedEventID)
        marker[string: "type"] = "processed"
        marker[string: "orderId"] = shipment.orderID
        marker[int: "expiresAt"] = Int(shipment.updatedAt.timeIntervalSince1970 + markerLifetime)

        var items = [
            table.put(item, condition: expectedVersion.map { .version($0) } ?? .absent),
            table.put(marker, condition: .absent),
        ]
        for event in events { items.append(table.put(DynamoDBOutbox.item(event.encoded()), condition: .absent)) }
        guard let reasons = try table.transact(items) else { return .saved }
        if reasons.count > 1, reasons[1] == "ConditionalCheckFailed" { return .alreadyProcessed }
        if reasons.first == "ConditionalCheckFailed" { return .versionConflict }
        throw StoreError("event \(events.first?.id ?? "") of shipment \(shipment.shipmentID) is already in the outbox")
    }

    static func milliseconds(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ milliseconds: Int) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
