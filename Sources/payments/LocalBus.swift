import Foundation
import EventRules
import FunctionHost
import NotificationService
import PaymentsCore
import Platform
import SQLiteAdapter

/// What EventBridge's rules, the queues and SNS's fan-out do in AWS, in-process: every event published
/// to the local bus (`PAYMENTS_EVENTS=sqlite`) is handed, as an SQS batch of EventBridge envelopes, to
/// each consumer `events/rules.json` names; Notification gets one batch per enabled channel, from a
/// queue named after it, as each channel's queue behind the SNS topic would deliver it.
///
/// How far each consumer has been served is kept in the payments store (`bus_consumers`), so events
/// are handed over once, whichever command published them. A record the consumer fails is handed over
/// again, up to `maxReceiveCount` times in all, as SQS would; then it is reported as dead-lettered.
struct LocalBus {
    let bus: SQLiteEventBus
    let rules: EventRules
    /// Runs the consumers: in-process (`LocalFunctions`) or their real binaries (`payments serve`).
    let consumers: any ConsumerInvoker
    let environment: [String: String]
    let logger: Logger
    var maxReceiveCount = 3
    var batchSize = 10

    /// Hands every event not yet handed over to its consumers; logs to the functions' logger.
    func deliver() {
        for target in Set(rules.rules.map(\.target)).sorted() {
            guard let definition = FunctionRegistry.named(target) else {
                logger.warning("no function for a target of events/rules.json", ["target": target])
                continue
            }
            do {
                let from = try bus.deliveredSequence(consumer: target)
                let pending = try bus.events(after: from)
                guard let last = pending.last?.sequence else { continue }
                let events = pending.map(\.event).filter { rules.targets(source: $0.source, detailType: $0.detailType).contains(target) }
                try consumers.prepare(definition)  // a consumer that cannot start leaves its events waiting
                for queue in queues(for: target) {
                    for start in stride(from: 0, to: events.count, by: batchSize) {
                        try hand(Array(events[start..<min(start + batchSize, events.count)]), to: definition, queue: queue)
                    }
                }
                try bus.setDeliveredSequence(last, consumer: target)
            } catch {
                // The consumer could not even be built or reached: the events wait for the next hand-off.
                logger.warning("the local bus could not hand events to a consumer; they wait", ["target": target, "error": String(describing: error)])
            }
        }
    }

    /// The queues a target's events arrive on: one per enabled channel for Notification's fan-out.
    func queues(for target: String) -> [String] {
        guard target == "notification" else { return ["local-\(target)"] }
        let channels = (try? NotificationChannel.enabled(environment)) ?? Set(NotificationChannel.allCases)
        return channels.sorted().map { "local-notification-\($0.rawValue)" }
    }

    func hand(_ events: [EncodedEvent], to definition: FunctionDefinition, queue: String) throws {
        var records = try events.map { event in
            (id: UUID().uuidString.lowercased(), body: try Self.envelope(event), eventID: event.id)
        }
        for receive in 1...maxReceiveCount {
            guard !records.isEmpty else { return }
            let batch = try Self.batch(records.map { ($0.id, $0.body) }, queue: queue, receiveCount: receive)
            let failed: Set<String>
            do {
                let answer = try JSONSerialization.jsonObject(with: Data(try consumers.invoke(definition, event: batch))) as? [String: Any]
                let failures = answer?["batchItemFailures"] as? [[String: Any]] ?? []
                failed = Set(failures.compactMap { $0["itemIdentifier"] as? String })
            } catch {
                logger.warning("a consumer's invocation failed; its batch is handed over again", [
                    "function": definition.name, "error": String(describing: error)])
                failed = Set(records.map(\.id))
            }
            records = records.filter { failed.contains($0.id) }
        }
        for record in records {
            logger.error("a record failed \(maxReceiveCount) times: dead-lettered (in AWS it would be in the queue's DLQ)", [
                "function": definition.name, "queue": queue, "eventId": record.eventID])
        }
    }

    /// The event as EventBridge delivers it: its one JSON encoding plus the envelope's `id` (the event
    /// id, as EventBridge's own id is unique per event), `version`, `account`, `region` and `resources`.
    static func envelope(_ event: EncodedEvent) throws -> String {
        guard var object = try JSONSerialization.jsonObject(with: Data(event.json)) as? [String: Any] else {
            throw CommandFailure("an event's JSON is not an object")
        }
        object["id"] = event.id
        object["version"] = "0"
        object["account"] = "000000000000"
        object["region"] = "local"
        object["resources"] = [String]()
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    /// An SQS event as Lambda's event source mapping builds it.
    static func batch(_ records: [(id: String, body: String)], queue: String, receiveCount: Int) throws -> [UInt8] {
        let list: [[String: Any]] = records.map { record in
            [
                "messageId": record.id, "receiptHandle": "local-\(record.id)", "body": record.body,
                "attributes": ["ApproximateReceiveCount": String(receiveCount)],
                "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:local:000000000000:\(queue)", "awsRegion": "local",
            ]
        }
        return Array(try JSONSerialization.data(withJSONObject: ["Records": list], options: [.sortedKeys]))
    }
}

/// What runs a consumer for the local bus: one SQS batch in, the function's answer out; a function
/// error, crash or timeout is thrown, and the bus hands the whole batch over again.
protocol ConsumerInvoker {
    /// Fails when the consumer cannot start, so its events wait for the next hand-off.
    func prepare(_ definition: FunctionDefinition) throws
    func invoke(_ definition: FunctionDefinition, event: [UInt8]) throws -> [UInt8]
}
