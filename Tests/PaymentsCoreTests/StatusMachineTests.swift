import Foundation
import Testing
import PaymentsCore
import Platform

/// Every transition and every refused transition of the status machine.
@Suite struct StatusMachineTests {
    static let usd = Currency(code: "USD")!
    static let start = Date(timeIntervalSince1970: 1_764_000_000)

    static func payment(_ state: PaymentState = PaymentState()) -> Payment {
        Payment(id: "pay_1", orderID: "ord_1", provider: "test", providerReference: "ref_1",
                amount: Money(minorUnits: 2000, currency: usd), state: state, createdAt: start)
    }

    /// The state each status stands for, to start transitions from.
    static let stateOfStatus: [PaymentStatus: PaymentState] = [
        .pending: PaymentState(),
        .requiresAction: PaymentState(progress: .requiresAction),
        .processing: PaymentState(progress: .processing),
        .failed: PaymentState(progress: .failed),
        .canceled: PaymentState(progress: .canceled),
        .succeeded: PaymentState(progress: .succeeded),
        .partiallyRefunded: PaymentState(progress: .succeeded, refundedMinorUnits: 500),
        .refunded: PaymentState(progress: .succeeded, refundedMinorUnits: 2000),
        .disputed: PaymentState(progress: .succeeded, dispute: .open),
        .disputeWon: PaymentState(progress: .succeeded, dispute: .won),
        .disputeLost: PaymentState(progress: .succeeded, dispute: .lost),
    ]

    static let facts: [PaymentFact] = [
        .requiresAction, .processing, .failed, .canceled, .succeeded, .refunded(totalMinorUnits: 500),
        .refunded(totalMinorUnits: 2000), .disputeOpened, .disputeWon, .disputeLost,
    ]

    /// The whole table: from each status, each fact leads to this status (nil: refused, nothing changes).
    static let expected: [PaymentStatus: [PaymentStatus?]] = [
        //                  reqAction        processing   failed   canceled   succeeded   refund 500          refund 2000  disputeOpened disputeWon   disputeLost
        .pending:           [.requiresAction, .processing, .failed, .canceled, .succeeded, .partiallyRefunded, .refunded, .disputed, .disputeWon, .disputeLost],
        .requiresAction:    [nil,             .processing, .failed, .canceled, .succeeded, .partiallyRefunded, .refunded, .disputed, .disputeWon, .disputeLost],
        .processing:        [nil,             nil,         .failed, .canceled, .succeeded, .partiallyRefunded, .refunded, .disputed, .disputeWon, .disputeLost],
        .failed:            [nil,             nil,         nil,     .canceled, .succeeded, .partiallyRefunded, .refunded, .disputed, .disputeWon, .disputeLost],
        .canceled:          [nil,             nil,         nil,     nil,       .succeeded, .partiallyRefunded, .refunded, .disputed, .disputeWon, .disputeLost],
        .succeeded:         [nil,             nil,         nil,     nil,       nil,        .partiallyRefunded, .refunded, .disputed, .disputeWon, .disputeLost],
        .partiallyRefunded: [nil,             nil,         nil,     nil,       nil,        nil,                .refunded, .disputed, .disputeWon, .disputeLost],
        .refunded:          [nil,             nil,         nil,     nil,       nil,        nil,                nil,       .disputed, .disputeWon, .disputeLost],
        .disputed:          [nil,             nil,         nil,     nil,       nil,        .disputed,          .disputed, nil,       .disputeWon, .disputeLost],
        .disputeWon:        [nil,             nil,         nil,     nil,       nil,        .disputeWon,        .disputeWon, nil,     nil,         .disputeLost],
        .disputeLost:       [nil,             nil,         nil,     nil,       nil,        .disputeLost,       .disputeLost, nil,    nil,         nil],
    ]

    @Test(arguments: PaymentStatus.allCases)
    func transitionsFrom(status: PaymentStatus) throws {
        let from = Self.payment(try #require(Self.stateOfStatus[status]))
        #expect(from.status == status)
        let row = try #require(Self.expected[status])
        // zip stops at the shorter list: a short row would leave facts untested.
        try #require(row.count == Self.facts.count, "the row of \(status) has \(row.count) entries for \(Self.facts.count) facts")
        for (fact, target) in zip(Self.facts, row) {
            let change = from.applying(fact, at: Self.start.addingTimeInterval(1))
            if let target {
                let change = try #require(change, "\(status) + \(fact) should move to \(target)")
                #expect(change.payment.status == target, "\(status) + \(fact)")
                #expect(change.payment.version == from.version + 1)
                #expect(change.event.detail.previousStatus == status)
                #expect(change.event.detail.version == change.payment.version)
            } else {
                #expect(change == nil, "\(status) + \(fact) must change nothing")
            }
        }
    }

    @Test func partialRefundsAccumulateAndOnlyGrow() throws {
        var payment = Self.payment(PaymentState(progress: .succeeded))
        let first = try #require(payment.applying(.refunded(totalMinorUnits: 500), at: Self.start))
        #expect(first.event.detailType == "PaymentPartiallyRefunded")
        payment = first.payment
        let second = try #require(payment.applying(.refunded(totalMinorUnits: 1500), at: Self.start))
        #expect(second.payment.status == .partiallyRefunded)
        #expect(second.event.detailType == "PaymentPartiallyRefunded", "a larger partial refund is announced")
        #expect(second.event.detail.refundedAmount == 1500)
        payment = second.payment
        #expect(payment.applying(.refunded(totalMinorUnits: 500), at: Self.start) == nil, "a late smaller total changes nothing")
        let full = try #require(payment.applying(.refunded(totalMinorUnits: 2000), at: Self.start))
        #expect(full.payment.status == .refunded)
        #expect(full.event.detailType == "PaymentRefunded")
    }

    @Test func refundBeforeSuccessIsOneTransitionAndTheLateSuccessChangesNothing() throws {
        let pending = Self.payment()
        let refund = try #require(pending.applying(.refunded(totalMinorUnits: 2000), at: Self.start))
        #expect(refund.payment.status == .refunded)
        #expect(refund.event.detail.previousStatus == .pending)
        #expect(refund.payment.applying(.succeeded, at: Self.start) == nil)
    }

    @Test func aFailedAttemptIsNotFinal() throws {
        let failed = Self.payment(PaymentState(progress: .failed))
        #expect(try #require(failed.applying(.succeeded, at: Self.start)).payment.status == .succeeded)
    }

    @Test func eventsCarryTheContract() throws {
        let change = try #require(Self.payment().applying(.succeeded, at: Self.start))
        let event = change.event
        #expect(event.source == "shop.payments")
        #expect(event.detailType == "PaymentSucceeded")
        #expect(event.detail.eventId == "pay_1-v2")
        #expect(event.detail.paymentId == "pay_1")
        #expect(event.detail.orderId == "ord_1")
        #expect(event.detail.provider == "test")
        #expect(event.detail.providerReference == "ref_1")
        #expect(event.detail.amount == 2000)
        #expect(event.detail.currency == "USD")
        #expect(event.detail.status == .succeeded)
        let json = String(decoding: try JSON.encoder.encode(event), as: UTF8.self)
        #expect(json.contains(#""detail-type":"PaymentSucceeded""#))
    }
}
