import PaymentsCore
import Platform
import SQLiteAdapter

/// `TransmissionLedger` in the local store's database: one row per (provider, transmission id). The
/// check and the insert are one write transaction, so two deliveries of one id cannot both be first.
package struct SQLiteTransmissionLedger: TransmissionLedger {
    public let database: SQLiteDatabase

    /// `store`'s database, whose schema has the table (`SQLiteSchema.applyAdditions`, run when the store
    /// opened): nothing more to do at start-up.
    public init(store: SQLitePaymentStore) {
        database = store.database
    }

    public func record(_ transmission: RecordedTransmission, now: Double) throws -> TransmissionLedgerOutcome {
        let key: [SQLiteValue] = [.text(transmission.provider), .text(transmission.id)]
        return try database.transaction { connection in
            // Expired records go as later ones arrive: the table holds one replay window of deliveries.
            try connection.rows("DELETE FROM webhook_transmissions WHERE expires_at < ?", [.integer(Int64(now.rounded(.down)))])
            let found = try connection.rows("SELECT body_sha256 FROM webhook_transmissions WHERE provider = ? AND id = ?", key)
            if let row = found.first {
                return row.first?.text == transmission.bodyDigest ? .sameBody : .differentBody
            }
            try connection.rows("INSERT INTO webhook_transmissions (provider, id, body_sha256, expires_at) VALUES (?, ?, ?, ?)",
                                key + [.text(transmission.bodyDigest), .integer(Int64(transmission.expiresAt.rounded(.up)))])
            return .recorded
        }
    }
}
