import Foundation
import AWSClients
import FunctionHost
import Platform
import PaymentsCore

/// Reads the payments table's DynamoDB stream as Lambda's event source mapping does, for
/// `payments relay`: every shard, in batches, each batch handed to the `outbox-relay` handler, and
/// where it stopped kept per shard, so that running again publishes nothing twice. A batch with
/// failures stops its shard just before the first failed record, which the next run reads again.
public struct DynamoDBStreamReader {
    var table: String
    var handler: OutboxStreamRelay
    var dynamoDB: AWSJSONClient
    var streams: AWSJSONClient
    var checkpointPath: String
    var batchSize = 100

    public init(table: String, handler: OutboxStreamRelay, environment: [String: String], checkpointPath: String, clock: any WallClock) throws {
        self.table = table
        self.handler = handler
        dynamoDB = try AWSJSONClient.fromEnvironment(.dynamoDB, environment: environment, http: ToolingHTTP.client(clock: clock), clock: clock,
                                                     deadline: nil)
        streams = dynamoDB.forService(.dynamoDBStreams)
        self.checkpointPath = checkpointPath
    }

    /// Where the relay stopped: the stream it read and, per shard, the last sequence number handled.
    struct Checkpoints: Codable {
        var streamArn: String
        var shards: [String: String]
    }

    public func relayOnce(logger: Logger) throws -> Int {
        let description = try dynamoDB.call("DescribeTable", .object(["TableName": .string(table)]))
        guard let streamArn = description["Table"]?["LatestStreamArn"]?.string else {
            throw CommandFailure("table \(table) has no stream: create it with `payments aws init`")
        }
        var checkpoints = loadCheckpoints()
        if checkpoints?.streamArn != streamArn { checkpoints = Checkpoints(streamArn: streamArn, shards: [:]) }
        var state = checkpoints!
        var published = 0
        // Parents come before their children in DescribeStream's order, as the mapping reads them.
        for shard in try shardIDs(streamArn) {
            published += try relay(shard: shard, streamArn: streamArn, checkpoints: &state, logger: logger)
            try save(state)
        }
        return published
    }

    func shardIDs(_ streamArn: String) throws -> [String] {
        var ids: [String] = []
        var start: String?
        repeat {
            var request: [String: JSONValue] = ["StreamArn": .string(streamArn)]
            if let start { request["ExclusiveStartShardId"] = .string(start) }
            let answer = try streams.call("DescribeStream", .object(request))
            if case .array(let shards)? = answer["StreamDescription"]?["Shards"] {
                ids += shards.compactMap { $0["ShardId"]?.string }
            }
            start = answer["StreamDescription"]?["LastEvaluatedShardId"]?.string
        } while start != nil
        return ids
    }

    func relay(shard: String, streamArn: String, checkpoints: inout Checkpoints, logger: Logger) throws -> Int {
        var request: [String: JSONValue] = ["StreamArn": .string(streamArn), "ShardId": .string(shard)]
        if let after = checkpoints.shards[shard] {
            request["ShardIteratorType"] = .string("AFTER_SEQUENCE_NUMBER")
            request["SequenceNumber"] = .string(after)
        } else {
            request["ShardIteratorType"] = .string("TRIM_HORIZON")
        }
        var iterator = try streams.call("GetShardIterator", .object(request))["ShardIterator"]?.string
        var published = 0
        while let current = iterator {
            let answer = try streams.call("GetRecords", .object(["ShardIterator": .string(current), "Limit": .number(String(batchSize))]))
            guard case .array(let raw)? = answer["Records"], !raw.isEmpty else { break }
            let batch = DynamoDBStreamBatch(records: try raw.map { json throws in try DynamoDBStreamBatch.record(json) })
            let context = InvocationContext(requestID: UUID().uuidString.lowercased(), logger: logger)
            let response = try handler.handle(batch, context: context)
            let failed = Set(response.batchItemFailures.map(\.itemIdentifier))
            let outboxInserts = batch.records.filter { $0.change == .insert && $0.newString("type") == "outbox" }
            if let firstFailure = batch.records.firstIndex(where: { failed.contains($0.sequenceNumber) }) {
                // Stop just before it, as the event source mapping does; the next run starts there.
                if firstFailure > 0 { checkpoints.shards[shard] = batch.records[firstFailure - 1].sequenceNumber }
                published += outboxInserts.prefix { $0.sequenceNumber != batch.records[firstFailure].sequenceNumber }
                    .filter { !failed.contains($0.sequenceNumber) }.count
                logger.warning("relay stopped at a failed record; the next run retries it", ["shard": shard])
                return published
            }
            published += outboxInserts.count
            checkpoints.shards[shard] = batch.records.last!.sequenceNumber
            iterator = answer["NextShardIterator"]?.string
        }
        return published
    }

    func loadCheckpoints() -> Checkpoints? {
        guard let data = FileManager.default.contents(atPath: checkpointPath) else { return nil }
        return try? JSONDecoder().decode(Checkpoints.self, from: data)
    }

    func save(_ checkpoints: Checkpoints) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(checkpoints).write(to: URL(fileURLWithPath: checkpointPath), options: .atomic)
    }
}
