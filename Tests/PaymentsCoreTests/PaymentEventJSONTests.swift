import Foundation
import Testing
import PaymentsCore

/// The one JSON encoding of an event: envelope, sorted keys, UTC times with milliseconds, lossless.
@Suite struct PaymentEventJSONTests {
    func event(at seconds: Double) -> PaymentEvent {
        let payment = Payment(id: "pay_1", orderID: "ord_1", provider: "test", providerReference: "ref_1",
                              amount: Money(minorUnits: 2000, currency: Currency(code: "EUR")!), createdAt: Date(timeIntervalSince1970: seconds))
        return PaymentEvent(transition: payment, from: nil, at: Date(timeIntervalSince1970: seconds))
    }

    @Test func encodesTheEnvelopeWithMillisecondTimesAndRoundTrips() throws {
        let original = event(at: 1_764_000_000.123)
        let text = String(decoding: try original.json(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"detail":{"#))
        #expect(text.contains(#""detail-type":"PaymentPending""#))
        #expect(text.contains(#""source":"shop.payments""#))
        #expect(text.contains(#""time":"2025-11-24T16:00:00.123Z""#))
        #expect(try PaymentEvent(json: original.json()) == original)
        let detail = String(decoding: try original.detailJSON(), as: UTF8.self)
        #expect(detail.hasPrefix(#"{"amount":2000,"currency":"EUR","eventId":"pay_1-v1""#))
        #expect(try PaymentEvent(detailJSON: original.detailJSON(), detailType: original.detailType, time: original.time) == original)
    }

    @Test(arguments: [0.0, 951_782_400.5, 1_709_164_800.999, -86_400.25, 4_102_444_799.5])
    func timestampsRoundTripAcrossLeapDaysAndEpochs(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let text = Timestamp.string(date)
        #expect(text == date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        #expect(Timestamp.date(text) == date)
    }

    @Test func outboxesWrittenWithEpochMillisecondsAreStillRead() throws {
        let legacy = #"{"source":"shop.payments","detail-type":"PaymentPending","time":1764000000123,"detail":{"eventId":"pay_1-v1","paymentId":"pay_1","orderId":"ord_1","provider":"test","amount":2000,"currency":"EUR","status":"pending","refundedAmount":0,"version":1,"time":1764000000123}}"#
        let event = try PaymentEvent(json: Array(legacy.utf8))
        #expect(event.time == Date(timeIntervalSince1970: 1_764_000_000.123))
    }

    @Test func malformedTimesAreRefused() {
        for text in ["2025-11-24", "2025-13-01T00:00:00Z", "2025-11-24T16:00:00+01:00", "2025-11-24T16:00:00.Z", "x025-11-24T16:00:00Z"] {
            #expect(Timestamp.date(text) == nil, "\(text)")
        }
    }
}
