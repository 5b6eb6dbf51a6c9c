import Platform

/// Webhook transmissions already accepted, each recorded once under the provider's transmission id.
///
/// A provider that signs a checksum of a delivery's body rather than the body (a CRC) lets anyone who
/// captured one delivery send it again within the replay window with another body of the same
/// checksum, and the signature still holds. Recording the id with a digest of the body the first time
/// makes such a re-send visible: the same id with the same body is the provider delivering again
/// (accepted, idempotent), the same id with another body is a forgery. Records are kept until `expiresAt`, past which the replay window refuses
/// the transmission anyway. SQLite locally, a conditional put with a TTL in the payments table on DynamoDB.
public protocol TransmissionLedger: Sendable {
    /// Records the transmission unless its id is already recorded (and not yet expired at `now`), and
    /// says how it compares with what was recorded.
    func record(_ transmission: RecordedTransmission, now: Double) throws -> TransmissionLedgerOutcome
}

/// One transmission as the ledger keeps it.
public struct RecordedTransmission: Sendable, Equatable {
    /// The provider's name: ids are the provider's own, kept apart per provider.
    public var provider: String
    public var id: String
    /// Hex SHA-256 of the raw body.
    public var bodyDigest: String
    /// Seconds since the epoch after which the record may go.
    public var expiresAt: Double

    public init(provider: String, id: String, bodyDigest: String, expiresAt: Double) {
        self.provider = provider
        self.id = id
        self.bodyDigest = bodyDigest
        self.expiresAt = expiresAt
    }
}

public enum TransmissionLedgerOutcome: Sendable, Equatable {
    /// Not seen before: now recorded.
    case recorded
    /// Seen before with the same body: a redelivery.
    case sameBody
    /// Seen before with another body: a replay with a forged body.
    case differentBody
}
