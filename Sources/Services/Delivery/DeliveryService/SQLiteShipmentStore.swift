#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
import SQLiteAdapter

/// `ShipmentStore` on SQLite (`DELIVERY_STORE=sqlite:PATH`), with the service's outbox and local bus
/// (`SQLiteServiceFile`): a shipment is one row per order, its payments' joined state a JSON column.
public struct SQLiteShipmentStore: ShipmentStore, Outbox {
    public let database: SQLiteDatabase

    public static let schemaVersion = 1

    public init(path: String) throws {
        database = try SQLiteServiceFile.open(
            path: path, schema: Self.schema, version: Self.schemaVersion, table: "shipments",
            refusal: "DELIVERY_STORE names a file that is not a Delivery store of schema \(Self.schemaVersion): give Delivery a file of its own")
    }

    static let schema = """
        CREATE TABLE shipments (
            order_id TEXT PRIMARY KEY,
            shipment_id TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            payment_id TEXT,
            payments TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at_ms INTEGER NOT NULL,
            updated_at_ms INTEGER NOT NULL
        );
        -- One row per payment event that changed a shipment: a redelivery finds it and does nothing.
        CREATE TABLE processed_events (
            event_id TEXT PRIMARY KEY,
            processed_at_ms INTEGER NOT NULL
        );
        """

    public func shipment(orderID: String) throws -> Shipment? {
        try database.withConnection { connection in
            try connection.rows("SELECT shipment_id, order_id, payments, version, created_at_ms, updated_at_ms FROM shipments WHERE order_id = ?",
                                [.text(orderID)]).first.map(Self.shipment(from:))
        }
    }

    public func hasProcessed(eventID: String) throws -> Bool {
        try database.withConnection { connection in
            !(try connection.query("SELECT 1 FROM processed_events WHERE event_id = ?", [.text(eventID)]).isEmpty)
        }
    }

    public func save(_ shipment: Shipment, expectedVersion: Int?, processedEventID: String, events: [ServiceEvent]) throws -> ShipmentSaveResult {
        let payments = try ShipmentStateCoding.encode(shipment.state)
        return try database.transaction { connection in
            guard try connection.query("SELECT 1 FROM processed_events WHERE event_id = ?", [.text(processedEventID)]).isEmpty else {
                return .alreadyProcessed
            }
            let values: [SQLiteValue] = [
                .text(shipment.status.rawValue), SQLiteValue(shipment.paymentID), .text(payments), SQLiteValue(shipment.version),
                .integer(Self.milliseconds(shipment.updatedAt)),
            ]
            if let expectedVersion {
                try connection.query("""
                    UPDATE shipments SET status = ?, payment_id = ?, payments = ?, version = ?, updated_at_ms = ?
                    WHERE order_id = ? AND version = ?
                    """, values + [.text(shipment.orderID), SQLiteValue(expectedVersion)])
                guard connection.changes == 1 else { return .versionConflict }
            } else {
                try connection.query("""
                    INSERT INTO shipments (status, payment_id, payments, version, updated_at_ms, order_id, shipment_id, created_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING
                    """, values + [.text(shipment.orderID), .text(shipment.shipmentID), .integer(Self.milliseconds(shipment.createdAt))])
                guard connection.changes == 1 else { return .versionConflict }
            }
            try connection.query("INSERT INTO processed_events (event_id, processed_at_ms) VALUES (?, ?)",
                                 [.text(processedEventID), .integer(Self.milliseconds(shipment.updatedAt))])
            try SQLiteOutbox.append(events.map { $0.encoded() }, in: connection)
            return .saved
        }
    }

    // MARK: Outbox

    public func unpublished(limit: Int) throws -> [EncodedEvent] {
        try SQLiteOutbox(database: database).unpublished(limit: limit)
    }

    public func markPublished(eventIDs: [String]) throws {
        try SQLiteOutbox(database: database).markPublished(eventIDs: eventIDs)
    }

    /// The local bus of `shop.delivery` events, drained into after each batch.
    public var bus: SQLiteEventBus { SQLiteEventBus(database: database) }

    static func shipment(from row: [SQLiteValue]) throws -> Shipment {
        guard row.count == 6, let id = row[0].text, let order = row[1].text, let payments = row[2].text,
              let version = row[3].integer, let created = row[4].integer, let updated = row[5].integer
        else { throw StoreError("a stored shipment row is incomplete or corrupt") }
        return Shipment(shipmentID: id, orderID: order, state: try ShipmentStateCoding.decode(payments),
                        createdAt: date(created), updatedAt: date(updated), version: Int(version))
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
