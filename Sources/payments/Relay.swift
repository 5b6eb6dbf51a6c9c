import ArgumentParser
import Foundation
import FunctionHost
import Platform
import LocalCloudFunctions
import PaymentsCore
import PaymentsStores
import SQLiteAdapter

struct Relay: AsyncParsableCommand {
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

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let logger = standardErrorLogger(function: "payments relay")
        let relay = try PendingEventPublisher(environment: environment, checkpoints: checkpoints, logger: logger,
                                   consumerLogger: standardErrorLogger(function: "payments"))
        var total = 0
        repeat {
            let published = try await relay.relayOnce()
            total += published
            if follow {
                if published > 0 { writeStandardError("payments relay: published \(published) event(s)\n") }
                try await Task.sleep(for: .seconds(interval))
            }
        } while follow
        print("published \(total) event(s)")
    }
}
