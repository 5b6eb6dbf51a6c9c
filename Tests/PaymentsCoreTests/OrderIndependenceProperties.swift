import Foundation
import PropertyBased
import Testing
import PaymentsCore
import Platform
import TestSupport

/// DESIGN.md's non-negotiable, as properties: the same set of notifications, in any order and any
/// number of times, leaves the payment in the same state, with one event per stored transition.
@Suite struct OrderIndependenceProperties {
    static let usd = Currency(code: "USD")!
    static let start = Date(timeIntervalSince1970: 1_764_000_000)

    /// Facts are generated as integer codes, which shrink well: code / 2501 picks the kind,
    /// code % 2501 the cumulative refunded total (0 to 25.00 on a 20.00 payment).
    static func fact(_ code: Int) -> PaymentFact {
        switch code / 2501 {
        case 0: .requiresAction
        case 1: .processing
        case 2: .failed
        case 3: .canceled
        case 4: .succeeded
        case 5: .refunded(totalMinorUnits: code % 2501)
        case 6: .disputeOpened
        case 7: .disputeWon
        default: .disputeLost
        }
    }

    static let codes = 0...(9 * 2501 - 1)

    /// DESIGN.md's order of statuses, written out here rather than taken from the code: a payment's
    /// status only moves forward along it (StatusMachineTests holds the full table).
    static let statusOrder: [PaymentStatus] = [
        .pending, .requiresAction, .processing, .failed, .canceled, .succeeded,
        .partiallyRefunded, .refunded, .disputed, .disputeWon, .disputeLost,
    ]

    /// The oracle: what a set of facts means, from DESIGN.md's rules alone, without `PaymentState`.
    /// The charge's furthest outcome counts (a refund or a dispute implies the money was taken), the
    /// refunded amount is the largest cumulative total seen, a dispute outranks refunds (lost over won
    /// over open), and a payment is refunded once the refunds reach its amount (20.00).
    static func expectedOutcome(of facts: [PaymentFact]) -> (status: PaymentStatus, refunded: Int) {
        let progressOrder: [PaymentStatus] = [.pending, .requiresAction, .processing, .failed, .canceled, .succeeded]
        var progress = 0, refunded = 0, dispute = 0
        for fact in facts {
            switch fact {
            case .requiresAction: progress = max(progress, 1)
            case .processing: progress = max(progress, 2)
            case .failed: progress = max(progress, 3)
            case .canceled: progress = max(progress, 4)
            case .succeeded: progress = 5
            case .refunded(let total): progress = 5; refunded = max(refunded, total)
            case .disputeOpened: progress = 5; dispute = max(dispute, 1)
            case .disputeWon: progress = 5; dispute = max(dispute, 2)
            case .disputeLost: progress = 5; dispute = 3
            }
        }
        if dispute > 0 { return ([.disputed, .disputeWon, .disputeLost][dispute - 1], refunded) }
        if refunded >= 2000 { return (.refunded, refunded) }
        if refunded > 0 { return (.partiallyRefunded, refunded) }
        return (progressOrder[progress], refunded)
    }

    /// Applies facts one by one as the webhook function does; returns the final payment and the events.
    static func deliver(_ facts: [PaymentFact]) -> (Payment, [PaymentEvent]) {
        var payment = Payment(id: "pay_1", orderID: "ord_1", provider: "test", amount: Money(minorUnits: 2000, currency: usd), createdAt: start)
        var events: [PaymentEvent] = []
        for (index, fact) in facts.enumerated() {
            if let change = payment.applying(fact, at: start.addingTimeInterval(Double(index))) {
                payment = change.payment
                events.append(change.event)
            }
        }
        return (payment, events)
    }

    @Test func anyOrderAndAnyRepeatsGiveTheSameFinalState() async {
        await propertyCheck(count: 500, input: Gen.int(in: Self.codes).array(of: 1...12), Gen.int(in: 0...Int.max)) { codes, seed in
            let facts = codes.map(Self.fact)
            var generator = SeededGenerator(seed: UInt64(truncatingIfNeeded: seed))
            var replayed = facts + facts.filter { _ in Bool.random(using: &generator) }
            replayed.shuffle(using: &generator)
            let (inOrder, _) = Self.deliver(facts)
            let (shuffled, _) = Self.deliver(replayed)
            #expect(shuffled.state == inOrder.state)
            #expect(shuffled.status == inOrder.status)
            let expected = Self.expectedOutcome(of: facts)
            #expect(shuffled.status == expected.status, "\(facts)")
            #expect(shuffled.state.refundedMinorUnits == expected.refunded, "\(facts)")
        }
    }

    @Test func oneEventPerTransitionAndStatusNeverMovesBack() async {
        await propertyCheck(count: 500, input: Gen.int(in: Self.codes).array(of: 1...16)) { codes in
            let facts = codes.map(Self.fact)
            let (payment, events) = Self.deliver(facts)
            #expect(events.count == payment.version - 1)
            #expect(Set(events.map(\.id)).count == events.count)
            var state = PaymentState()
            for event in events {
                let next = PaymentState(progress: state.progress, refundedMinorUnits: event.detail.refundedAmount, dispute: state.dispute)
                #expect(next.refundedMinorUnits >= state.refundedMinorUnits, "refunded amounts only grow")
                state = next
                let from = event.detail.previousStatus.map { Self.statusOrder.firstIndex(of: $0) ?? .max } ?? 0
                let to = Self.statusOrder.firstIndex(of: event.detail.status) ?? -1
                #expect(from <= to, "\(String(describing: event.detail.previousStatus)) moved back to \(event.detail.status)")
            }

            // Step by step, as stored: each state is what the facts so far mean (the oracle), so it
            // never moves back; a change is announced by exactly one event, naming both statuses.
            var current = Payment(id: "pay_1", orderID: "ord_1", provider: "test", amount: Money(minorUnits: 2000, currency: Self.usd), createdAt: Self.start)
            for (index, fact) in facts.enumerated() {
                let expected = Self.expectedOutcome(of: Array(facts[...index]))
                if let change = current.applying(fact, at: Self.start.addingTimeInterval(Double(index))) {
                    #expect(change.payment.status == expected.status, "\(facts[...index])")
                    #expect(change.payment.state.refundedMinorUnits == expected.refunded, "\(facts[...index])")
                    #expect(change.payment.state != current.state)
                    #expect(change.payment.version == current.version + 1)
                    #expect(change.event.detail.previousStatus == current.status)
                    #expect(change.event.detail.status == change.payment.status)
                    current = change.payment
                } else {
                    #expect(expected.status == current.status && expected.refunded == current.state.refundedMinorUnits,
                            "no change, no event, only when the fact adds nothing: \(facts[...index])")
                }
            }
            #expect(current == payment)
        }
    }

    @Test func joinIsCommutativeAssociativeAndIdempotent() async {
        await propertyCheck(count: 300, input: Gen.int(in: Self.codes).array(of: 1...3).array(of: 3...3)) { groups in
            let states = groups.map { $0.map { Self.fact($0).impliedState }.reduce(PaymentState()) { $0.joined(with: $1) } }
            let (a, b, c) = (states[0], states[1], states[2])
            #expect(a.joined(with: b) == b.joined(with: a))
            #expect(a.joined(with: b).joined(with: c) == a.joined(with: b.joined(with: c)))
            #expect(a.joined(with: a) == a)
        }
    }
}
