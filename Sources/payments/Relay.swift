import ArgumentParser
import Foundation
import FunctionHost
import PaymentsCore
import Platform
import PaymentsStores
import AWSClients
import SQLiteAdapter

struct Relay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish what the store's outbox holds unpublished to the configured bus, as outbox-relay does in AWS.",
        discussion: """
            With PAYMENTS_STORE=sqlite:PATH it drains the outbox table. With dynamodb:TABLE it reads the table's
            stream as Lambda's event source mapping does (every shard, from where it stopped last time) and hands
            the records to the outbox-relay handler; where it stopped is kept in --checkpoints.
            """)

    @Flag(help: "Keep relaying until interrupted, polling every --interval seconds.")
    var follow = false

    @Option(help: "Seconds between polls with --follow.")
    var interval: Double = 1

    @Option(help: "Where the DynamoDB stream position per shard is kept (default .payments-relay-TABLE.json).")
    var checkpoints: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let logger = standardErrorLogger(function: "payments relay")
        let configuration = try PaymentsConfiguration(environment: environment)
        let clock = SystemClock()
        let backends = try PaymentsBackends.make(configuration, environment: environment, httpClient: LocalHTTP.client(clock: clock), clock: clock)
        let source = try RelaySource.make(configuration, backends: backends, environment: environment, checkpoints: checkpoints, clock: clock)
        // On the local bus, what was published is handed to the consumers the rules name, as in AWS.
        let localBus = backends.localBus
        let functions = LocalFunctions()
        var total = 0
        repeat {
            let published = try source.relayOnce(logger: logger)
            if let localBus { functions.deliverPublished(from: localBus) }
            total += published
            if follow {
                if published > 0 { writeStandardError("payments relay: published \(published) event(s)\n") }
                Thread.sleep(forTimeInterval: interval)
            }
        } while follow
        print("published \(total) event(s)")
    }
}

/// Where `payments relay` reads unpublished events from: the SQLite outbox, or the DynamoDB stream.
enum RelaySource {
    case sqlite(OutboxDrain)
    case dynamoDBStream(DynamoDBStreamRelaySource)

    static func make(_ configuration: PaymentsConfiguration, backends: PaymentsBackends, environment: [String: String], checkpoints: String?,
                     clock: any WallClock) throws -> RelaySource {
        switch configuration.store {
        case .sqlite:
            return .sqlite(OutboxDrain(outbox: backends.outbox, publisher: backends.publisher))
        case .dynamoDB(let table):
            let handler = OutboxStreamRelay(publisher: backends.publisher, outbox: DynamoDBOutbox(table: DynamoDBTable(client: try ServiceStores.awsClient(environment), name: table)))
            return .dynamoDBStream(try DynamoDBStreamRelaySource(table: table, handler: handler, environment: environment,
                                                                 checkpointPath: checkpoints ?? ".payments-relay-\(table).json", clock: clock))
        }
    }

    /// One pass; returns how many events were published.
    func relayOnce(logger: Logger) throws -> Int {
        switch self {
        case .sqlite(let relay): relay.run(logger: logger)
        case .dynamoDBStream(let source): try source.relayOnce(logger: logger)
        }
    }
}
