import Platform

/// The status a payment shows to the shop and to the consumers of its events.
/// It is derived from `PaymentState`, never set directly.
public enum PaymentStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case requiresAction = "requires_action"
    case processing
    case failed
    case canceled
    case succeeded
    case partiallyRefunded = "partially_refunded"
    case refunded
    case disputed
    case disputeWon = "dispute_won"
    case disputeLost = "dispute_lost"

    /// The EventBridge detail-type announcing that a payment entered this status.
    public var eventDetailType: String {
        switch self {
        case .pending: "PaymentPending"
        case .requiresAction: "PaymentRequiresAction"
        case .processing: "PaymentProcessing"
        case .failed: "PaymentFailed"
        case .canceled: "PaymentCanceled"
        case .succeeded: "PaymentSucceeded"
        case .partiallyRefunded: "PaymentPartiallyRefunded"
        case .refunded: "PaymentRefunded"
        case .disputed: "PaymentDisputed"
        case .disputeWon: "PaymentDisputeWon"
        case .disputeLost: "PaymentDisputeLost"
        }
    }
}
