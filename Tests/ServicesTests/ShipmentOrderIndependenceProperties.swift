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
    /// Events are generated as integer codes: code / 1000 picks the payment (two per order, like a
    /// customer who paid twice) and the kind, code % 1000 the refunded total (of 500 minor units).
    static func event(_ code: Int) -> PaymentEvent {
        let payment = code / 9000 == 0 ? "pay_a" : "pay_b"
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
        return Events.payment(payment, amount: 500, state: state, version: 2 + code)
    }

    static let codes = 0...(2 * 9000 - 1)

    /// Delivers the events one batch per event through the handler; returns the shipment and the events it published.
    static func deliver(_ events: [PaymentEvent]) throws -> (Shipment?, [ServiceEvent]) {
        let store = InMemoryShipmentStore()
        let handler = DeliveryHandler(store: store, clock: SteppingClock())
        for event in events {
            #expect(try handler.handle(Events.batch([event]), context: context()) == .allSucceeded)
        }
        return (try store.shipment(orderID: "ord_1"), store.events)
    }

    @Test func anyOrderAndAnyRepeatsGiveTheSameShipment() async {
        await propertyCheck(count: 300, input: Gen.int(in: Self.codes).array(of: 0...10), Gen.int(in: 0...Int.max)) { codes, seed in
            let events = codes.map(Self.event)
            var generator = SeededGenerator(seed: UInt64(truncatingIfNeeded: seed))
            var replayed = events + events.filter { _ in Bool.random(using: &generator) }
            replayed.shuffle(using: &generator)
            let (inOrder, _) = try! Self.deliver(events)
            let (shuffled, published) = try! Self.deliver(replayed)
            #expect(shuffled?.state == inOrder?.state)
            #expect(shuffled?.status == inOrder?.status)
            #expect(shuffled?.shipmentID == inOrder?.shipmentID)
            #expect(shuffled?.paymentID == inOrder?.paymentID)
            // One event per change of status, the last naming the final status; never two shipments.
            #expect(published.last?["status"] == shuffled?.status.rawValue)
            #expect(Set(published.compactMap { $0["shipmentId"] }).count <= 1)
            #expect(Set(published.map(\.id)).count == published.count)
        }
    }

    @Test func aRefundInFullSeenInAnyOrderNeverLeavesALiveShipment() async {
        await propertyCheck(count: 300, input: Gen.int(in: Self.codes).array(of: 0...8), Gen.int(in: 0...Int.max)) { codes, seed in
            // Every payment that was paid is also refunded in full; the events then arrive in any order.
            let events = codes.map(Self.event)
            let paid = Set(events.filter { ShipmentState.implied(by: $0.detail) != nil }.map(\.detail.paymentId))
            let refunds = paid.sorted().map { Events.payment($0, amount: 500, state: PaymentState(progress: .succeeded, refundedMinorUnits: 500), version: 99_999) }
            var generator = SeededGenerator(seed: UInt64(truncatingIfNeeded: seed))
            var all = events + refunds + refunds
            all.shuffle(using: &generator)
            let (shipment, _) = try! Self.deliver(all)
            if paid.isEmpty {
                #expect(shipment == nil, "nothing paid, nothing to ship")
            } else {
                #expect(shipment?.status == .canceled)
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
