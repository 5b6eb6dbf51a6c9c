#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import PaymentsCore
import Platform

/// Where an order's shipment stands, as Delivery derives it from the payment events it was told.
public enum ShipmentStatus: String, Codable, Sendable, CaseIterable {
    /// Paid: the warehouse is asked to ship.
    case requested
    /// Paid, but a dispute is open: nothing leaves the warehouse until it is decided.
    case onHold = "on_hold"
    /// Refunded in full, or the dispute lost: nothing is shipped.
    case canceled

    /// The detail-type announcing that a shipment entered this status (source `shop.delivery`).
    public var eventDetailType: String {
        switch self {
        case .requested: "ShipmentRequested"
        case .onHold: "ShipmentOnHold"
        case .canceled: "ShipmentCanceled"
        }
    }
}

/// What the events of one payment said that matters to shipping, joined: each component only grows.
/// A payment is in a shipment's state only once one of its events said the money was taken.
public struct PaidPayment: Hashable, Sendable {
    public var amount: Int
    /// The cumulative refunded total (providers report running totals, so the maximum is the truth).
    public var refundedAmount: Int
    public var dispute: PaymentState.Dispute

    public init(amount: Int, refundedAmount: Int = 0, dispute: PaymentState.Dispute = .none) {
        self.amount = amount
        self.refundedAmount = refundedAmount
        self.dispute = dispute
    }

    public func joined(with other: PaidPayment) -> PaidPayment {
        PaidPayment(amount: max(amount, other.amount), refundedAmount: max(refundedAmount, other.refundedAmount),
                    dispute: max(dispute, other.dispute))
    }

    public var isRefundedInFull: Bool { refundedAmount > 0 && refundedAmount >= amount }

    /// Money kept for the order: not refunded in full and no dispute lost.
    public var isLive: Bool { !isRefundedInFull && dispute != .lost }
}

/// A shipment's state as a join-semilattice, like `PaymentState`: a map from payment id to what that
/// payment's events said, joined key by key. Join is commutative, associative and idempotent, so the
/// same events in any order and any number of times give the same state, hence the same status: a
/// refund seen before the success never leaves a live shipment, and a second payment for the order
/// joins the same shipment instead of making another.
public struct ShipmentState: Hashable, Sendable {
    public var payments: [String: PaidPayment]

    public init(payments: [String: PaidPayment] = [:]) { self.payments = payments }

    public func joined(with other: ShipmentState) -> ShipmentState {
        ShipmentState(payments: payments.merging(other.payments) { $0.joined(with: $1) })
    }

    /// Derived, never stored on its own: nil while no payment of the order was paid.
    /// A dispute open on any live payment holds the shipment; with no live payment left it is canceled.
    public var status: ShipmentStatus? {
        guard !payments.isEmpty else { return nil }
        let live = payments.values.filter(\.isLive)
        if live.isEmpty { return .canceled }
        return live.contains { $0.dispute == .open } ? .onHold : .requested
    }

    /// The payment the shipment goes by: the first live one by id, else the first paid one (by id, so
    /// that it does not depend on which event came first).
    public var paymentID: String? {
        let live = payments.filter { $0.value.isLive }.keys.sorted()
        return live.first ?? payments.keys.sorted().first
    }

    /// The state one payment event implies, or nil when its status says nothing about shipping (a
    /// pending, failed or canceled payment: no money was taken). Every status from succeeded on
    /// implies the money was taken; the refunded total and the dispute's stage come with it.
    public static func implied(by detail: PaymentEvent.Detail) -> ShipmentState? {
        let dispute: PaymentState.Dispute
        switch detail.status {
        case .pending, .requiresAction, .processing, .failed, .canceled: return nil
        case .succeeded, .partiallyRefunded, .refunded: dispute = .none
        case .disputed: dispute = .open
        case .disputeWon: dispute = .won
        case .disputeLost: dispute = .lost
        }
        return ShipmentState(payments: [
            detail.paymentId: PaidPayment(amount: detail.amount, refundedAmount: detail.refundedAmount, dispute: dispute),
        ])
    }
}

/// One order's shipment, as Delivery stores it: one per order, whatever number of payments it had.
public struct Shipment: Hashable, Sendable {
    public var shipmentID: String
    public var orderID: String
    public var state: ShipmentState
    public var createdAt: Date
    public var updatedAt: Date
    /// Incremented by every stored change; saves are conditional on it.
    public var version: Int

    public init(shipmentID: String, orderID: String, state: ShipmentState, createdAt: Date, updatedAt: Date? = nil, version: Int = 1) {
        self.shipmentID = shipmentID
        self.orderID = orderID
        self.state = state
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.version = version
    }

    /// A stored shipment always has a paid payment, hence a status; `.requested` only for a corrupt empty state.
    public var status: ShipmentStatus { state.status ?? .requested }
    public var paymentID: String? { state.paymentID }

    /// The order's shipment id, derived from the order id: every writer that creates the order's
    /// shipment names it the same, so a race or a replay can never make a second one.
    public static func id(orderID: String) -> String {
        let digest = Array(SHA256.hash(data: Array(orderID.utf8)))
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
        var bits = 0
        var count = 0
        var id = "shp_"
        for byte in digest {
            bits = bits << 8 | Int(byte)
            count += 8
            while count >= 5, id.count < 4 + 24 {
                count -= 5
                id.append(alphabet[(bits >> count) & 31])
            }
        }
        return id
    }
}

extension Shipment {
    /// The change a payment event makes to the order's shipment (`existing`, nil when there is none
    /// yet): the next stored version and the events announcing it, or nil when the event adds nothing
    /// (a duplicate, a late event of an earlier step, a status that says nothing about shipping).
    /// One stored change of status is one event; a change that leaves the status (a partial refund) is
    /// stored and announced by nothing.
    public static func applying(_ event: PaymentEvent, to existing: Shipment?, at time: Date) -> (shipment: Shipment, events: [ServiceEvent])? {
        guard let implied = ShipmentState.implied(by: event.detail) else { return nil }
        let current = existing?.state ?? ShipmentState()
        let joined = current.joined(with: implied)
        guard joined != current else { return nil }
        var next = existing ?? Shipment(shipmentID: id(orderID: event.detail.orderId), orderID: event.detail.orderId,
                                        state: ShipmentState(), createdAt: time, version: 0)
        next.state = joined
        next.updatedAt = time
        next.version += 1
        let previous = existing?.state.status
        guard let status = joined.status, status != previous else { return (next, []) }
        return (next, [ShipmentEvents.transition(next, from: previous, causedBy: event.id, at: time)])
    }
}
