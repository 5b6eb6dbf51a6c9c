import Platform

/// What one provider notification says about a payment, in provider-neutral terms.
public enum PaymentFact: Hashable, Sendable {
    case requiresAction
    case processing
    case failed
    case canceled
    case succeeded
    /// The provider's cumulative refunded total, in the payment's currency.
    case refunded(totalMinorUnits: Int)
    case disputeOpened
    case disputeWon
    case disputeLost

    /// The least state this fact implies. A refund or a dispute implies the money was taken,
    /// so seen before the success it moves the payment straight there.
    public var impliedState: PaymentState {
        switch self {
        case .requiresAction: PaymentState(progress: .requiresAction)
        case .processing: PaymentState(progress: .processing)
        case .failed: PaymentState(progress: .failed)
        case .canceled: PaymentState(progress: .canceled)
        case .succeeded: PaymentState(progress: .succeeded)
        case .refunded(let total): PaymentState(progress: .succeeded, refundedMinorUnits: max(0, total))
        case .disputeOpened: PaymentState(progress: .succeeded, dispute: .open)
        case .disputeWon: PaymentState(progress: .succeeded, dispute: .won)
        case .disputeLost: PaymentState(progress: .succeeded, dispute: .lost)
        }
    }
}
