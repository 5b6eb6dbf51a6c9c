import Foundation
import Platform
import Testing

/// Lambda retries a stream batch from its first failed record, so the records after it come again.
/// The relay skips those whose outbox item is gone (published and removed): a partial PutEvents
/// failure repeats nothing that was published.
@Suite struct OutboxStreamRelaySkipTests {
    let time = Date(timeIntervalSince1970: 1_764_000_000)

    func event(_ n: Int) -> EncodedEvent {
        ServiceEvent(source: "shop.test", detailType: "ThingHappened", time: time, detail: ["eventId": .string("evt_\(n)")]).encoded()
    }

    func record(_ event: EncodedEvent, sequence: Int) -> DynamoDBStreamBatch.Record {
        DynamoDBStreamBatch.Record(eventID: "r\(sequence)", change: .insert, sequenceNumber: String(sequence),
                                   keys: ["pk": .object(["S": .string("OUTBOX#\(event.id)")])],
                                   newImage: ["pk": .object(["S": .string("OUTBOX#\(event.id)")]), "type": .object(["S": .string("outbox")]),
                                              "event": .object(["S": .string(String(decoding: event.json, as: UTF8.self))])])
    }

    @Test func theRetryOfAPartlyRefusedBatchPublishesOnlyWhatWasNotPublished() throws {
        let events = (1...5).map(event)
        let outbox = MemoryOutbox(events)
        let bus = CountingBus(refusingOnce: ["evt_2"])
        let relay = OutboxStreamRelay(publisher: bus, outbox: outbox)
        let batch = DynamoDBStreamBatch(records: events.enumerated().map { record($1, sequence: $0 + 1) })
        let context = InvocationContext(requestID: "r", logger: .discarding)

        #expect(try relay.handle(batch, context: context) == BatchResponse(failedItems: ["2"]))
        // Lambda's retry: from the failed record's checkpoint on, the records after it again.
        let retry = DynamoDBStreamBatch(records: Array(batch.records.dropFirst()))
        #expect(try relay.handle(retry, context: context) == BatchResponse())
        #expect(bus.published == ["evt_1": 1, "evt_2": 1, "evt_3": 1, "evt_4": 1, "evt_5": 1], "each event on the bus once")
        #expect(try outbox.unpublished(limit: 10).isEmpty)
    }

    @Test func anOutboxThatCannotBeReadFailsTheBatchWithoutPublishing() throws {
        let events = (1...2).map(event)
        let bus = CountingBus(refusingOnce: [])
        let relay = OutboxStreamRelay(publisher: bus, outbox: UnreadableOutbox())
        let batch = DynamoDBStreamBatch(records: events.enumerated().map { record($1, sequence: $0 + 1) })
        #expect(try relay.handle(batch, context: InvocationContext(requestID: "r", logger: .discarding)) == BatchResponse(failedItems: ["1", "2"]))
        #expect(bus.published.isEmpty)
    }
}

final class MemoryOutbox: StreamedOutbox, @unchecked Sendable {
    private let lock = NSLock()
    private var events: [EncodedEvent]
    init(_ events: [EncodedEvent]) { self.events = events }
    func unpublished(limit: Int) throws -> [EncodedEvent] { lock.withLock { Array(events.prefix(limit)) } }
    func markPublished(eventIDs: [String]) throws { lock.withLock { events.removeAll { eventIDs.contains($0.id) } } }
    func unpublishedEventIDs(among eventIDs: [String]) throws -> Set<String> {
        lock.withLock { Set(events.map(\.id)).intersection(eventIDs) }
    }
}

struct UnreadableOutbox: StreamedOutbox {
    func unpublished(limit: Int) throws -> [EncodedEvent] { throw StoreError("unreachable") }
    func markPublished(eventIDs: [String]) throws { throw StoreError("unreachable") }
    func unpublishedEventIDs(among eventIDs: [String]) throws -> Set<String> { throw StoreError("unreachable") }
}

/// Counts what reached the bus by event id; refuses each listed event the first time only.
final class CountingBus: EventPublisher, @unchecked Sendable {
    private let lock = NSLock()
    private var refusing: Set<String>
    private(set) var published: [String: Int] = [:]
    init(refusingOnce: Set<String>) { refusing = refusingOnce }
    func publish(_ events: [EncodedEvent]) throws -> PublishResult {
        lock.withLock {
            var failures: [String: String] = [:]
            for event in events {
                if refusing.remove(event.id) != nil { failures[event.id] = "InternalFailure" } else { published[event.id, default: 0] += 1 }
            }
            return PublishResult(failures: failures)
        }
    }
}
