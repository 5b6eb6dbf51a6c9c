import Foundation
import Synchronization
import Testing
import XCTest
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport
@testable import AWSClients

final class EventBridgePublisherTests: XCTestCase {
    let usd = Currency(code: "USD")!
    let start = Date(timeIntervalSince1970: 1_764_000_000.25)

    /// One event per payment, each with its own id; `reference` pads the detail when a test needs size.
    func events(_ count: Int, reference: String = "ch_1") -> [PaymentEvent] {
        (0..<count).map { index in
            let payment = Payment(id: "pay_\(index)", orderID: "ord_\(index)", provider: "stripe", providerReference: reference,
                                  amount: Money(minorUnits: 1000 + index, currency: usd), createdAt: start)
            return payment.applying(.succeeded, at: start.addingTimeInterval(Double(index)))!.event
        }
    }

    func publisher(_ http: any HTTPClient, clock: any WallClock = SteppingClock()) -> EventBridgePublisher {
        let configuration = AWSConfiguration(region: "eu-west-1", credentials: Moto.credentials, endpointOverride: "http://aws.test")
        return EventBridgePublisher(client: AWSJSONClient(service: .eventBridge, configuration: configuration, http: http, clock: clock,
                                                          retry: AWSRetryPolicy(maxAttempts: 2, random: { 0 })),
                                    busName: "payments")
    }

    func testTwentyFiveEventsReachTheQueueTheBusRuleTargetsInThreeCalls() throws {
        let server = try MotoServer.shared()
        let bus = Moto.uniqueName("payments")
        let events = Moto.client(.eventBridge, server: server)
        let queue = try SQSTestQueue.create(named: Moto.uniqueName("delivery"), client: Moto.client(.sqs, server: server))
        _ = try events.call("CreateEventBus", .object(["Name": .s(bus)]))
        _ = try events.call("PutRule", .object([
            "Name": .s("to-delivery"), "EventBusName": .s(bus), "EventPattern": .s(#"{"source":["shop.payments"]}"#),
        ]))
        _ = try events.call("PutTargets", .object([
            "Rule": .s("to-delivery"), "EventBusName": .s(bus),
            "Targets": .array([.object(["Id": .s("delivery-queue"), "Arn": .s(try queue.arn())])]),
        ]))

        let recorder = RecordingHTTPClient()
        let publisher = EventBridgePublisher(client: Moto.client(.eventBridge, server: server, http: recorder), busName: bus)
        let published = self.events(25)
        XCTAssertEqual(try publisher.publish(published), .allPublished)
        XCTAssertEqual(recorder.operations, ["PutEvents", "PutEvents", "PutEvents"])
        XCTAssertEqual(try recorder.calls.map { try JSONValue(parsing: $0.body)["Entries"].map { entries -> Int in
            if case .array(let list) = entries { return list.count } else { return 0 } } ?? 0 }, [10, 10, 5])

        let messages = try queue.drain(expecting: 25)
        XCTAssertEqual(messages.count, 25)
        var details: [String: JSONValue] = [:]
        for message in messages {
            let envelope = try JSONValue(parsing: message.body)
            XCTAssertEqual(envelope["source"]?.string, "shop.payments")
            XCTAssertEqual(envelope["detail-type"]?.string, "PaymentSucceeded")
            details[envelope["detail"]?["eventId"]?.string ?? ""] = envelope["detail"]
        }
        for event in published {
            XCTAssertEqual(details[event.id], try JSONValue(parsing: event.detailJSON()), "detail of \(event.id) arrives as sent")
        }
    }

    func testAnEntryIsTheEventsOneJSONEncoding() throws {
        let http = FakePutEvents()
        let event = events(1)[0]
        XCTAssertEqual(try publisher(http).publish([event]), .allPublished)
        let entry = try XCTUnwrap(http.entries.first?.first)
        XCTAssertEqual(entry, .object([
            "Source": .s("shop.payments"), "DetailType": .s("PaymentSucceeded"),
            "Detail": .s(String(decoding: try event.detailJSON(), as: UTF8.self)),
            "EventBusName": .s("payments"), "Time": .number("1764000000.25"),
        ]))
    }

    func testBatchesAreSplitByCountAndBySizeAndAnOversizedEventFailsAlone() throws {
        let http = FakePutEvents()
        // Each of these entries is a little over 100 KB: two fit under 256 KB, three do not.
        let large = events(5, reference: String(repeating: "r", count: 100_000))
        let tooLarge = events(1, reference: String(repeating: "x", count: 270_000)).map { event -> PaymentEvent in
            var renamed = event
            renamed.detail.eventId = "pay_huge-v2"
            return renamed
        }
        let small = events(12)
        let result = try publisher(http).publish(large + tooLarge + small)
        XCTAssertEqual(Array(result.failures.keys), ["pay_huge-v2"])
        XCTAssertTrue(result.failures["pay_huge-v2"]?.hasPrefix("EntryTooLarge") == true, "\(result.failures)")
        // 5 large: 2 + 2 + 1 that leaves room for 9 small; then the 3 small left.
        XCTAssertEqual(http.entries.map(\.count), [2, 2, 10, 3], "count and size limits both hold")
        for (call, bytes) in zip(http.entries, http.bodySizes) {
            XCTAssertLessThanOrEqual(call.count, 10)
            XCTAssertLessThan(bytes, 300_000)
        }
        let sizes = http.entries.map { call in call.reduce(0) { $0 + EventBridgePublisherSizeTests.awsSize(of: $1) } }
        XCTAssertTrue(sizes.allSatisfy { $0 <= EventBridgePublisherSizeTests.awsLimit }, "\(sizes)")
        XCTAssertEqual(http.entries.flatMap { $0 }.count, 17)
    }

    func testTimeIsEpochSecondsWithTheMilliseconds() {
        XCTAssertEqual(EventBridgePublisher.epochSeconds(Date(timeIntervalSince1970: 1_764_000_000)), "1764000000")
        XCTAssertEqual(EventBridgePublisher.epochSeconds(Date(timeIntervalSince1970: 1_764_000_000.5)), "1764000000.5")
        XCTAssertEqual(EventBridgePublisher.epochSeconds(Date(timeIntervalSince1970: 1_764_000_000.007)), "1764000000.007")
    }

    func testFailedEntriesAreReportedPerEvent() throws {
        // The response shape of the PutEvents API reference's example.
        let http = ScriptedHTTPClient([.response(200, """
            {"FailedEntryCount":1,"Entries":[{"EventId":"11710aed-b79e-4468-a20b-bb3c0c3b4860"},\
            {"ErrorCode":"InternalFailure","ErrorMessage":"An internal error occurred"}]}
            """)])
        let published = events(2)
        let result = try publisher(http).publish(published)
        XCTAssertEqual(result, PublishResult(failures: [published[1].id: "InternalFailure: An internal error occurred"]))
        XCTAssertEqual(http.requests.count, 1, "a refused entry is the relay's to retry, not the call's")
    }

    func testACallThatFailsReportsItsEventsAndOnlyThrowsWhenNothingWasPublished() throws {
        let ok = (0..<10).map { _ in #"{"EventId":"e"}"# }.joined(separator: ",")
        let validation = #"{"__type":"ValidationException","message":"Event bus payments does not exist."}"#
        let http = ScriptedHTTPClient([.response(200, #"{"FailedEntryCount":0,"Entries":[\#(ok)]}"#), .response(400, validation)])
        let published = events(13)
        let result = try publisher(http).publish(published)
        XCTAssertEqual(Set(result.failures.keys), Set(published[10...].map(\.id)))
        XCTAssertTrue(result.failures[published[12].id]?.contains("ValidationException") == true)

        let down = ScriptedHTTPClient([.transportError, .transportError])
        XCTAssertThrowsError(try publisher(down).publish(events(3))) { error in
            XCTAssertEqual((error as? AWSError)?.type, "TransportError")
        }
        XCTAssertEqual(down.requests.count, 2, "retried once, as the policy allows")
        XCTAssertEqual(try publisher(down).publish([]), .allPublished)
    }
}

/// The size bound checked against AWS's documented rule, written here rather than taken from the
/// publisher: an entry is 14 bytes for Time plus the UTF-8 bytes of Source, DetailType and Detail (no
/// Resources are sent), and one PutEvents call holds at most 256 KiB of entries.
@Suite struct EventBridgePublisherSizeTests {
    static let awsLimit = 262_144

    static func awsSize(source: String, detailType: String, detail: String) -> Int {
        14 + source.utf8.count + detailType.utf8.count + detail.utf8.count
    }

    static func awsSize(of entry: JSONValue) -> Int {
        awsSize(source: entry["Source"]?.string ?? "", detailType: entry["DetailType"]?.string ?? "", detail: entry["Detail"]?.string ?? "")
    }

    static func awsSize(of event: PaymentEvent) throws -> Int {
        awsSize(source: event.source, detailType: event.detailType, detail: String(decoding: try event.detailJSON(), as: UTF8.self))
    }

    static let start = Date(timeIntervalSince1970: 1_764_000_000.25)

    /// Payment `index`'s success event, its detail padded so that its entry is exactly `size` bytes by AWS's rule.
    static func event(_ index: Int, size: Int) throws -> PaymentEvent {
        func make(_ reference: String) -> PaymentEvent {
            let payment = Payment(id: "pay_\(index)", orderID: "ord_\(index)", provider: "stripe", providerReference: reference,
                                  amount: Money(minorUnits: 1000, currency: Currency(code: "USD")!), createdAt: start)
            return payment.applying(.succeeded, at: start)!.event
        }
        let unpadded = try awsSize(of: make("r")) - 1
        let event = make(String(repeating: "r", count: size - unpadded))
        #expect(try awsSize(of: event) == size)
        return event
    }

    static func publisher(_ http: any HTTPClient) -> EventBridgePublisher {
        let configuration = AWSConfiguration(region: "eu-west-1", credentials: Moto.credentials, endpointOverride: "http://aws.test")
        return EventBridgePublisher(client: AWSJSONClient(service: .eventBridge, configuration: configuration, http: http, clock: SteppingClock(),
                                                          retry: AWSRetryPolicy(maxAttempts: 2, random: { 0 })),
                                    busName: "payments")
    }

    /// Two entries of exactly 256 KiB together share a call; one byte more and they take two.
    @Test(arguments: [(awsLimit, [2]), (awsLimit + 1, [1, 1])])
    func twoEntriesShareACallOnlyWithinAWSsLimit(total: Int, calls: [Int]) throws {
        let http = FakePutEvents()
        let events = [try Self.event(0, size: 131_072), try Self.event(1, size: total - 131_072)]
        #expect(try Self.publisher(http).publish(events) == .allPublished)
        #expect(http.entries.map(\.count) == calls)
        for call in http.entries {
            #expect(call.reduce(0) { $0 + Self.awsSize(of: $1) } <= Self.awsLimit)
        }
    }

    /// One entry of exactly 256 KiB is sent; one byte more is refused alone, before any call.
    @Test func anEntryOverAWSsLimitIsRefusedAndOneAtTheLimitIsSent() throws {
        let http = FakePutEvents()
        let atLimit = try Self.event(0, size: Self.awsLimit), over = try Self.event(1, size: Self.awsLimit + 1)
        let result = try Self.publisher(http).publish([atLimit, over])
        #expect(Array(result.failures.keys) == [over.id])
        #expect(result.failures[over.id]?.hasPrefix("EntryTooLarge") == true)
        #expect(http.entries.map(\.count) == [1])
    }
}

/// A PutEvents endpoint that takes every entry and remembers each call's entries.
final class FakePutEvents: HTTPClient, Sendable {
    private let calls = Mutex<[(entries: [JSONValue], bytes: Int)]>([])
    var entries: [[JSONValue]] { calls.withLock { $0.map(\.entries) } }
    var bodySizes: [Int] { calls.withLock { $0.map(\.bytes) } }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        guard case .array(let entries)? = try JSONValue(parsing: request.body)["Entries"] else {
            return HTTPResponse(status: 400, body: Array(#"{"__type":"ValidationException"}"#.utf8))
        }
        calls.withLock { $0.append((entries, request.body.count)) }
        let results = entries.indices.map { #"{"EventId":"id-\#($0)"}"# }.joined(separator: ",")
        return HTTPResponse(status: 200, body: Array(#"{"FailedEntryCount":0,"Entries":[\#(results)]}"#.utf8))
    }
}
