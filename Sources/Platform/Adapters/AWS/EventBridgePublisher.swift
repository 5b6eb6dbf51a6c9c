#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// `EventPublisher` on an EventBridge bus: PutEvents, split so that no call has more than 10 entries or
/// 256 KB, each entry's Source and DetailType the event's own and its Detail the event's stored detail text.
/// EventBridge accepts or refuses entry by entry; refused ones are reported per event id so the relay
/// retries just those.
public struct EventBridgePublisher: EventPublisher {
    public var client: AWSJSONClient
    public var busName: String

    /// PutEvents' limits (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html).
    package static let maxEntriesPerCall = 10
    package static let maxBytesPerCall = 256 * 1024

    public init(client: AWSJSONClient, busName: String) {
        self.client = client
        self.busName = busName
    }

    public func publish(_ events: [EncodedEvent]) throws -> PublishResult {
        var failures: [String: String] = [:]
        var batches: [[(event: EncodedEvent, entry: JSONValue)]] = [[]]
        var batchSize = 0
        for event in events {
            let detail = String(decoding: event.detailJSON, as: UTF8.self)
            let size = Self.entrySize(source: event.source, detailType: event.detailType, detail: detail)
            guard size <= Self.maxBytesPerCall else {
                failures[event.id] = "EntryTooLarge: the entry is \(size) bytes, PutEvents takes at most \(Self.maxBytesPerCall)"
                continue
            }
            if batches[batches.count - 1].count == Self.maxEntriesPerCall || batchSize + size > Self.maxBytesPerCall {
                batches.append([])
                batchSize = 0
            }
            batches[batches.count - 1].append((event, entry(event, detail: detail)))
            batchSize += size
        }

        var callError: AWSError?
        var accepted = 0
        for batch in batches where !batch.isEmpty {
            let answer: JSONValue
            do {
                answer = try client.call("PutEvents", .object(["Entries": .array(batch.map(\.entry))]))
            } catch {
                // Later batches may still go through; each event of this one is reported with the reason.
                callError = error
                for (event, _) in batch { failures[event.id] = error.description }
                continue
            }
            for (index, (event, _)) in batch.enumerated() {
                let result = answer["Entries"]?[index]
                if let code = result?["ErrorCode"]?.string {
                    failures[event.id] = code + (result?["ErrorMessage"]?.string.map { ": \($0)" } ?? "")
                } else if result?["EventId"]?.string != nil {
                    accepted += 1
                } else {
                    failures[event.id] = "PutEvents gave no result for this entry"
                }
            }
        }
        // Nothing could be published because the bus could not be called at all: that is the caller's error.
        if let callError, accepted == 0, failures.count == events.count { throw callError }
        return PublishResult(failures: failures)
    }

    private func entry(_ event: EncodedEvent, detail: String) -> JSONValue {
        .object([
            "Source": .string(event.source),
            "DetailType": .string(event.detailType),
            "Detail": .string(detail),
            "EventBusName": .string(busName),
            // JSON-protocol timestamps are epoch seconds; milliseconds kept as the fraction.
            "Time": .number(Self.epochSeconds(event.time)),
        ])
    }

    /// AWS's own rule for an entry's size: 14 bytes for Time, plus the UTF-8 bytes of Source, DetailType and Detail.
    static func entrySize(source: String, detailType: String, detail: String) -> Int {
        14 + source.utf8.count + detailType.utf8.count + detail.utf8.count
    }

    static func epochSeconds(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = milliseconds - seconds * 1000
        guard fraction != 0 else { return String(seconds) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(seconds).\(digits)"
    }
}
