import Foundation
import Testing
import PaymentsCore
import Platform
import PropertyBased
import TestSupport

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

    /// Foundation writes the calendar part (from whole seconds, which a Date holds exactly); the
    /// milliseconds are ours to write, rounded to nearest so that the text reads back as the same Date.
    @Test func anyMillisecondFrom1900ToYear9999IsWrittenInFoundationsCalendarAndReadBack() async {
        await propertyCheck(count: 2_000, input: Gen.int(in: -2_208_988_800_000...253_402_300_799_999)) { milliseconds in
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
            let fraction = String(milliseconds - seconds * 1000)
            let calendar = Date(timeIntervalSince1970: Double(seconds)).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            let expected = String(calendar.dropLast(4)) + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
            #expect(Timestamp.string(date) == expected, "\(milliseconds)")
            #expect(Timestamp.date(Timestamp.string(date)) == date, "\(milliseconds)")
        }
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

/// The hand-written event JSON is byte for byte what JSONEncoder makes, for any content.
@Suite struct PaymentEventWriterProperties {
    static let alphabet: [Character] = Array("aZ09 _-./:\\\"\n\r\t\u{8}\u{c}\u{1}\u{1f}é€😀\u{2028}<>&'")

    @Test func theWriterMatchesJSONEncoderForAnyEvent() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max), Gen.int(in: 0...Int.max)) { seed, other in
            var generator = SeededGenerator(seed: UInt64(truncatingIfNeeded: seed))
            func text(_ length: ClosedRange<Int>) -> String {
                String((0..<Int.random(in: length, using: &generator)).map { _ in Self.alphabet.randomElement(using: &generator)! })
            }
            let statuses = PaymentStatus.allCases
            let payment = Payment(
                id: "pay_" + text(1...12), orderID: text(1...20), provider: text(1...8),
                providerReference: Bool.random(using: &generator) ? text(0...20) : nil,
                amount: Money(minorUnits: Int.random(in: 1...1_000_000_000, using: &generator), currency: Currency(code: ["USD", "JPY", "KWD"].randomElement(using: &generator)!)!),
                state: PaymentState(progress: PaymentState.Progress.allCases.randomElement(using: &generator)!,
                                    refundedMinorUnits: Int.random(in: 0...5000, using: &generator)),
                customerEmail: Bool.random(using: &generator) ? text(1...20) : nil,
                customerPhone: Bool.random(using: &generator) ? text(1...16) : nil,
                createdAt: Date(timeIntervalSince1970: Double(other % 4_000_000_000_000) / 1000),
                version: Int.random(in: 1...99, using: &generator))
            let event = PaymentEvent(transition: payment, from: Bool.random(using: &generator) ? statuses.randomElement(using: &generator) : nil,
                                     at: Date(timeIntervalSince1970: Double(seed % 4_000_000_000_000) / 1000))
            let written = try? event.json(), encoded = try? event.encodedByJSONEncoder()
            #expect(written != nil && written == encoded, "\(String(decoding: written ?? [], as: UTF8.self)) vs \(String(decoding: encoded ?? [], as: UTF8.self))")
            let decoded = written.flatMap { try? PaymentEvent(json: $0) }
            #expect(decoded == event, "\(decoded.map { [$0.time == event.time, $0.detail.time == event.detail.time, $0.detail.orderId == event.detail.orderId, $0.detail.provider == event.detail.provider, $0.detail.providerReference == event.detail.providerReference, $0.detail.eventId == event.detail.eventId] } ?? [])")
        }
    }
}
