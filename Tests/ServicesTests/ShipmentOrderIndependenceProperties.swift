import Foundation
import PropertyBased
import Synchronization
import Testing
import DeliveryService
import PaymentsCore
import Platform
import TestSupport

/// Delivery's version of DESIGN.md's non-negotiable, as properties: the same payment events of an
/// order, delivered in any order and any number of times, leave its shipment in the same state, and a
/// refund in full seen before the success never leaves a live shipment. Run through the real handler.
@Suite struct ShipmentOrderIndependenceProperties {
    /// Events are generated as integer codes: code / 18000 picks the order (three orders, so that one
    /// order's events making a second shipment, or landing on another order's, can show), code / 9000 % 2
    /// the payment (two per order, like a customer who paid twice), code / 1000 % 9 the kind, and
    /// code % 1000 the refunded total (of 500 minor units).
    static let orders = ["ord_1", "ord_2", "ord_3"]

    static func order(_ code: Int) -> String { orders[code / 18000] }
    static func paymentID(_ code: Int) -> String { "pay_\(order(code))_\(code / 9000 % 2 == 0 ? "a" : "b")" }

    static func event(_ code: Int) -> PaymentEvent {
        let total = code % 1000
        let state: PaymentState
        switch code / 1000 % 9 {
        case 0: state = PaymentState(progress: .pending)
        case 1: state = PaymentState(progress: .failed)
        case 2: state = PaymentState(progress: .succeeded)
        case 3: state = PaymentState(progress: .succeeded, refundedMinorUnits: total)
        case 4: state = PaymentState(progress: .succeeded, refundedMinorUnits: 500)
        case 5: state = PaymentState(progress: .succeeded, dispute: .open)
        case 6: state = PaymentState(progress: .succeeded, refundedMinorUnits: total, dispute: .open)
        case 7: state = PaymentState(progress: .succeeded, dispute: .won)
        default: state = PaymentState(progress: .succeeded, dispute: .lost)
        }
        // The version makes the event id; equal codes are the same event delivered twice.
        return Events.payment(paymentID(code), order: order(code), amount: 500, state: state, version: 2 + code)
    }

    static let codes = 0...(3 * 2 * 9000 - 1)

    /// The oracle, from the codes alone and the rules written here (not `ShipmentState`): a payment
    /// counts once one of its events says the money was taken (kind 2 and on); its refunded total is
    /// the largest seen, its dispute the furthest (open, won, lost); it is live unless refunded in full
    /// or its dispute lost. No paid payment: no shipment; none live: canceled; a live one disputed:
    /// on hold; else requested. The shipment goes by the first live payment by id, else the first paid.
    static func expectedShipment(of codes: [Int], order: String) -> (status: ShipmentStatus, paymentID: String)? {
        var paid: [String: (refunded: Int, dispute: Int)] = [:]
        for code in codes where Self.order(code) == order && code / 1000 % 9 >= 2 {
            let (refunded, dispute): (Int, Int) = switch code / 1000 % 9 {
            case 3: (code % 1000, 0)
            case 4: (500, 0)
            case 5: (0, 1)
            case 6: (code % 1000, 1)
            case 7: (0, 2)
            case 8: (0, 3)
            default: (0, 0)
            }
            let seen = paid[paymentID(code)] ?? (0, 0)
            paid[paymentID(code)] = (max(seen.refunded, refunded), max(seen.dispute, dispute))
        }
        guard !paid.isEmpty else { return nil }
        let live = paid.filter { $0.value.refunded < 500 && $0.value.dispute != 3 }
        let status: ShipmentStatus = live.isEmpty ? .canceled : live.values.contains { $0.dispute == 1 } ? .onHold : .requested
        return (status, (live.isEmpty ? paid : live).keys.sorted()[0])
    }

    /// Delivers the events one batch per event through the handler; returns each order's shipment and the events published.
    static func deliver(_ events: [PaymentEvent]) throws -> ([String: Shipment], [ServiceEvent]) {
        let store = InMemoryShipmentStore()
        let handler = DeliveryHandler(store: store, clock: SteppingClock())
        for event in events {
            #expect(try handler.handle(Events.batch([event]), context: context()) == .allSucceeded)
        }
        var shipments: [String: Shipment] = [:]
        for order in orders { shipments[order] = try store.shipment(orderID: order) }
        return (shipments, store.events)
    }

    @Test func anyOrderAndAnyRepeatsGiveTheSameShipment() async {
        await propertyCheck(count: 300, input: Gen.int(in: Self.codes).array(of: 1...14), Gen.int(in: 0...Int.max)) { codes, seed in
            let events = codes.map(Self.event)
            var generator = SeededGenerator(seed: UInt64(truncatingIfNeeded: seed))
            var replayed = events + events.filter { _ in Bool.random(using: &generator) }
            replayed.shuffle(using: &generator)
            let (inOrderShipments, _) = try! Self.deliver(events)
            let (shuffledShipments, allPublished) = try! Self.deliver(replayed)
            for order in Self.orders {
                let (inOrder, shuffled) = (inOrderShipments[order], shuffledShipments[order])
                let published = allPublished.filter { $0["orderId"] == order }
                let expected = Self.expectedShipment(of: codes, order: order)
                #expect(shuffled?.status == expected?.status, "\(order): \(codes)")
                #expect(shuffled?.paymentID == expected?.paymentID, "\(order): \(codes)")
                #expect(shuffled?.state == inOrder?.state)
                #expect(shuffled?.status == inOrder?.status)
                #expect(shuffled?.shipmentID == inOrder?.shipmentID)
                #expect(shuffled?.paymentID == inOrder?.paymentID)
                // One event per change of status, the last naming the final status; exactly one shipment
                // per order that was paid, none for one that was not.
                #expect(published.last?["status"] == shuffled?.status.rawValue)
                #expect(Set(published.compactMap { $0["shipmentId"] }).count == (expected == nil ? 0 : 1), "\(order): \(codes)")
                #expect(Set(published.map(\.id)).count == published.count)
            }
            #expect(Set(allPublished.compactMap { $0["shipmentId"] }).count == Self.orders.filter { Self.expectedShipment(of: codes, order: $0) != nil }.count,
                    "one shipment per paid order, never one shared by two orders")
        }
    }

    @Test func aRefundInFullSeenInAnyOrderNeverLeavesALiveShipment() async {
        await propertyCheck(count: 300, input: Gen.int(in: Self.codes).array(of: 1...8), Gen.int(in: 0...Int.max)) { codes, seed in
            // Every payment that was paid is also refunded in full; the events then arrive in any order.
            let events = codes.map(Self.event)
            let paid = Set(codes.filter { $0 / 1000 % 9 >= 2 })
            let refunds = Set(paid.map(Self.paymentID)).sorted().map { payment in
                let code = paid.first { Self.paymentID($0) == payment }!
                return Events.payment(payment, order: Self.order(code), amount: 500,
                                      state: PaymentState(progress: .succeeded, refundedMinorUnits: 500), version: 99_999)
            }
            var generator = SeededGenerator(seed: UInt64(truncatingIfNeeded: seed))
            var all = events + refunds + refunds
            all.shuffle(using: &generator)
            let (shipments, _) = try! Self.deliver(all)
            for order in Self.orders {
                if !paid.contains(where: { Self.order($0) == order }) {
                    #expect(shipments[order] == nil, "nothing paid, nothing to ship")
                } else {
                    #expect(shipments[order]?.status == .canceled)
                }
            }
        }
    }

    @Test func joinIsCommutativeAssociativeAndIdempotent() async {
        await propertyCheck(count: 300, input: Gen.int(in: Self.codes).array(of: 1...3).array(of: 3...3)) { groups in
            let states = groups.map { $0.compactMap { ShipmentState.implied(by: Self.event($0).detail) }.reduce(ShipmentState()) { $0.joined(with: $1) } }
            let (a, b, c) = (states[0], states[1], states[2])
            #expect(a.joined(with: b) == b.joined(with: a))
            #expect(a.joined(with: b).joined(with: c) == a.joined(with: b.joined(with: c)))
            #expect(a.joined(with: a) == a)
        }
    }
}

/// A `ShipmentStore` in memory with the SQLite store's semantics (conditional on version, markers,
/// outbox), for properties that deliver thousands of events.
final class InMemoryShipmentStore: ShipmentStore {
    private struct State {
        var shipments: [String: Shipment] = [:]
        var processed: Set<String> = []
        var outbox: [ServiceEvent] = []
    }
    private let state = Mutex(State())

    var events: [ServiceEvent] { state.withLock { $0.outbox } }

    func shipment(orderID: String) throws -> Shipment? { state.withLock { $0.shipments[orderID] } }
    func hasProcessed(eventID: String) throws -> Bool { state.withLock { $0.processed.contains(eventID) } }

    func save(_ shipment: Shipment, expectedVersion: Int?, processedEventID: String, events: [ServiceEvent]) throws -> ShipmentSaveResult {
        state.withLock { state in
            guard !state.processed.contains(processedEventID) else { return .alreadyProcessed }
            guard state.shipments[shipment.orderID]?.version == expectedVersion else { return .versionConflict }
            state.shipments[shipment.orderID] = shipment
            state.processed.insert(processedEventID)
            state.outbox += events
            return .saved
        }
    }
}
