import Platform

/// Where a payment stands, as a join-semilattice: every notification contributes a state,
/// and the payment's state is the join (least upper bound) of all of them.
///
/// Join is commutative, associative and idempotent, so the same set of notifications
/// gives the same state whatever their order and however often each arrives: the
/// non-negotiable of DESIGN.md. Each component only grows, so a status never moves back.
public struct PaymentState: Hashable, Sendable, Codable {
    /// How far the charge itself got. Ordered so that a later provider outcome outranks an earlier one:
    /// a failed attempt can still be followed by a success (a provider may leave the charge open for a retry), a cancel
    /// ends an attempt that failed, and money actually taken outranks everything.
    public enum Progress: Int, Comparable, Sendable, CaseIterable {
        case pending = 0
        case requiresAction = 1
        case processing = 2
        case failed = 3
        case canceled = 4
        case succeeded = 5

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A dispute's course: opened, then won or lost. Won and lost never both happen; if a
    /// provider ever said both, lost is the conservative answer, hence its higher rank.
    public enum Dispute: Int, Comparable, Sendable, CaseIterable {
        case none = 0
        case open = 1
        case won = 2
        case lost = 3

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var progress: Progress
    /// Cumulative refunded minor units; providers report the running total, so the maximum is the truth.
    public var refundedMinorUnits: Int
    public var dispute: Dispute

    public init(progress: Progress = .pending, refundedMinorUnits: Int = 0, dispute: Dispute = .none) {
        self.progress = progress
        self.refundedMinorUnits = refundedMinorUnits
        self.dispute = dispute
    }

    public func joined(with other: PaymentState) -> PaymentState {
        PaymentState(
            progress: max(progress, other.progress),
            refundedMinorUnits: max(refundedMinorUnits, other.refundedMinorUnits),
            dispute: max(dispute, other.dispute)
        )
    }

    /// The status shown for this state of a payment of `amount` minor units.
    /// Disputes outrank refunds, which outrank the charge's own progress.
    public func status(amount: Int) -> PaymentStatus {
        switch dispute {
        case .lost: return .disputeLost
        case .won: return .disputeWon
        case .open: return .disputed
        case .none: break
        }
        if refundedMinorUnits >= amount, refundedMinorUnits > 0 { return .refunded }
        if refundedMinorUnits > 0 { return .partiallyRefunded }
        switch progress {
        case .pending: return .pending
        case .requiresAction: return .requiresAction
        case .processing: return .processing
        case .failed: return .failed
        case .canceled: return .canceled
        case .succeeded: return .succeeded
        }
    }
}

/// In JSON the ranks are written by name ("succeeded", "open"): the numbers are an implementation detail.
protocol NamedRank: RawRepresentable<Int>, CaseIterable, Codable {}

extension NamedRank {
    var name: String { String(describing: self) }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self.allCases.first(where: { $0.name == name }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown value '\(name)'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

extension PaymentState.Progress: NamedRank {}
extension PaymentState.Dispute: NamedRank {}
