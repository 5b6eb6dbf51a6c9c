import Foundation
import EventRules
import FunctionHost
import Platform
import LocalCloud
import NotificationService
import PaymentsCore
import PaymentsStores
import SQLiteAdapter

/// What EventBridge's rules, the queues and SNS's fan-out do in AWS, in-process, for the payments'
/// local bus (`PAYMENTS_STORE=sqlite:PATH` with `PAYMENTS_EVENTS=sqlite`: the store's `bus_events`
/// table): every event published there is handed, as an SQS batch of EventBridge envelopes, to each
/// consumer `events/rules.json` names; Notification gets one batch per enabled channel, from a queue
/// named after it, as each channel's queue behind the SNS topic would deliver it.
///
/// How far each consumer has been served is kept in the payments store (`bus_consumers`), so events
/// are handed over once, whichever command published them. A record the consumer fails is handed over
/// again, up to `maxReceiveCount` times in all, as SQS would; then it is reported as dead-lettered.
public actor LocalEventDelivery {
    private let storePath: String
    /// Opened on first use: a command that publishes nothing leaves no store behind.
    private var opened: (store: SQLitePaymentStore, bus: SQLiteEventBus)?
    private let rules: EventRules
    /// Runs the consumers: in-process (`InProcessRunner`) or their real binaries (the emulator).
    private let consumers: any FunctionInvoker
    private let consumerNames: Set<String>
    private let environment: [String: String]
    private let logger: Logger
    private let maxReceiveCount: Int
    private let batchSize: Int
    private var delivering = false

    /// The local bus of the store at `storePath` (created on first use if absent, as a function would create it).
    public init(storePath: String, rules: EventRules, consumers: any FunctionInvoker, consumerNames: Set<String>,
                environment: [String: String], logger: Logger, maxReceiveCount: Int = 3, batchSize: Int = 10) {
        self.storePath = storePath
        self.rules = rules
        self.consumers = consumers
        self.consumerNames = consumerNames
        self.environment = environment
        self.logger = logger
        self.maxReceiveCount = maxReceiveCount
        self.batchSize = batchSize
    }

    /// The local bus the functions publish to with these settings, or nil when they publish elsewhere
    /// (a DynamoDB store, or EventBridge: `payments relay` and the consumers' queues carry those events).
    public static func configured(environment: [String: String], consumers: any FunctionInvoker, logger: Logger,
                                  functions: [FunctionDefinition] = FunctionRegistry.all) throws -> LocalEventDelivery? {
        let configuration = try PaymentsConfiguration(environment: environment)
        guard case .sqlite(let path) = configuration.store, case .sqlite = configuration.events else { return nil }
        return LocalEventDelivery(storePath: path, rules: try EventRules.bundled(), consumers: consumers,
                                      consumerNames: Set(functions.map(\.name)), environment: environment, logger: logger)
    }

    /// The targets the rules name, in the order they are served.
    public var targets: [String] { Set(rules.rules.map(\.target)).sorted() }

    /// Publishes what the payments outbox still holds to the local bus (a function that crashed after
    /// its commit but before its drain leaves events there; publishing is idempotent on the event id,
    /// so racing a function's own drain is harmless). Returns how many were published.
    @discardableResult
    package func publishOutbox() -> Int {
        do {
            let (store, bus) = try open()
            return OutboxDrain(outbox: store, publisher: bus).run(logger: logger)
        } catch {
            logger.warning("the local bus's store could not be opened", ["error": String(describing: error)])
            return 0
        }
    }

    private func open() throws -> (store: SQLitePaymentStore, bus: SQLiteEventBus) {
        if let opened { return opened }
        let store = try SQLitePaymentStore(path: storePath)
        let opening = (store: store, bus: SQLiteEventBus(database: store.database))
        opened = opening
        return opening
    }

    /// Hands every event not yet handed over to its consumers; logs to the functions' logger. A call
    /// made while a hand-off is in progress returns at once: that hand-off serves what there is.
    public func deliver() async {
        // No store yet: nothing was published, and a command that published nothing leaves no store behind.
        guard !delivering, opened != nil || FileManager.default.fileExists(atPath: storePath) else { return }
        delivering = true
        defer { delivering = false }
        for target in targets {
            guard consumerNames.contains(target) else {
                logger.warning("no function for a target of events/rules.json", ["target": target])
                continue
            }
            do {
                let bus = try open().bus
                let from = try bus.deliveredSequence(consumer: target)
                let pending = try bus.events(after: from)
                guard let last = pending.last?.sequence else { continue }
                let events = pending.map(\.event).filter { rules.targets(source: $0.source, detailType: $0.detailType).contains(target) }
                try await consumers.prepare(function: target)  // a consumer that cannot start leaves its events waiting
                for queue in queues(for: target) {
                    for start in stride(from: 0, to: events.count, by: batchSize) {
                        try await hand(Array(events[start..<min(start + batchSize, events.count)]), to: target, queue: queue)
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

    func hand(_ events: [EncodedEvent], to function: String, queue: String) async throws {
        var records = events.map { event in
            (id: UUID().uuidString.lowercased(), body: Self.envelope(event), eventID: event.id)
        }
        for receive in 1...maxReceiveCount {
            guard !records.isEmpty else { return }
            let batch = try Self.batch(records.map { ($0.id, $0.body) }, queue: queue, receiveCount: receive)
            let failed: Set<String>
            do {
                let answer = try JSONSerialization.jsonObject(with: Data(try await invoke(function, batch))) as? [String: Any]
                let failures = answer?["batchItemFailures"] as? [[String: Any]] ?? []
                failed = Set(failures.compactMap { $0["itemIdentifier"] as? String })
            } catch {
                logger.warning("a consumer's invocation failed; its batch is handed over again", [
                    "function": function, "error": String(describing: error)])
                failed = Set(records.map(\.id))
            }
            records = records.filter { failed.contains($0.id) }
        }
        for record in records {
            logger.error("a record failed \(maxReceiveCount) times: dead-lettered (in AWS it would be in the queue's DLQ)", [
                "function": function, "queue": queue, "eventId": record.eventID])
        }
    }

    /// One consumer invocation; what Lambda would count as a failed batch (a function error, a crash, a
    /// timeout) is thrown, and the whole batch is handed over again.
    private func invoke(_ function: String, _ batch: [UInt8]) async throws -> [UInt8] {
        switch await consumers.invoke(function: function, InvokeRequest(payload: batch, requestID: UUID().uuidString.lowercased())) {
        case .response(let body):
            return body
        case .functionError(let body, let errorType):
            throw CommandFailure("\(function) reported \(errorType ?? "an error"): \(String(decoding: body, as: UTF8.self))")
        case .timedOut(let seconds):
            throw CommandFailure("\(function) timed out after \(seconds) s")
        case .runtimeFailed(let errorType, let message):
            throw CommandFailure("\(function) failed: \(errorType): \(message)")
        }
    }

    /// The event as EventBridge delivers it: its fields plus the envelope's `id` (the event id, as
    /// EventBridge's own id is unique per event), `version`, `account`, `region` and `resources`, keys
    /// sorted. The detail is the stored text itself, byte for byte, as EventBridge passes PutEvents' Detail on.
    package static func envelope(_ event: EncodedEvent) -> String {
        var head = JSONTextWriter()
        head.raw(#"{"account":"000000000000","detail":"#)
        var tail = JSONTextWriter()
        tail.raw(#","detail-type":"#)
        tail.string(event.detailType)
        tail.raw(#","id":"#)
        tail.string(event.id)
        tail.raw(#","region":"local","resources":[],"source":"#)
        tail.string(event.source)
        tail.raw(#","time":"#)
        tail.string(Timestamp.string(event.time))
        tail.raw(#","version":"0"}"#)
        return String(decoding: head.bytes + event.detailJSON + tail.bytes, as: UTF8.self)
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
