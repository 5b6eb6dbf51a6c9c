import ArgumentParser
import Foundation
import FunctionHost
import LocalCloudFunctions
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
import AWSClients

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a stored payment as JSON.")

    @Argument(help: "The payment id (pay_…).")
    var paymentID: String

    func run() throws {
        let store = try LocalStore.payments()
        guard let payment = try store.payment(id: paymentID) else {
            writeStandardError("payments show: no payment '\(paymentID)' in the store\n")
            throw ExitCode.failure
        }
        let encoder = JSON.encoder
        encoder.outputFormatting.insert(.prettyPrinted)
        var record = PaymentRecord(payment)
        record.checkout?.clientSecret = nil  // for the paying customer's browser only, as in GET /payments/{id}
        print(String(decoding: try encoder.encode(record), as: UTF8.self))
    }
}

struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print published events as JSON lines, oldest first.")

    @Flag(help: "Print the outbox instead: events stored but not yet published.")
    var pending = false

    @Option(help: "Whose events: shop.payments (default), shop.delivery or shop.notifications (the consumers' local buses).")
    var source = PaymentEvent.source

    @Flag(help: "Keep running and print each event as it is published (local bus only; Ctrl-C stops).")
    var follow = false

    func validate() throws {
        if source != PaymentEvent.source, !["shop.delivery", "shop.notifications"].contains(source) {
            throw ValidationError("--source is shop.payments, shop.delivery or shop.notifications.")
        }
        if pending, source != PaymentEvent.source || follow {
            throw ValidationError("--pending shows the payments outbox once: it takes neither --source nor --follow.")
        }
    }

    func run() throws {
        if pending {
            try printLines(LocalStore.backends().outbox.unpublished(limit: Int.max))
            return
        }
        guard follow else {
            try printLines(publishedSoFar())
            return
        }
        // Printed in publication order; an event is never printed twice because the bus only appends.
        var printed = 0
        while true {
            let events = try publishedSoFar(waitingForStore: true)
            if events.count > printed {
                try printLines(events[printed...])
                printed = events.count
            }
            usleep(200_000)
        }
    }

    /// Everything published on the chosen local bus so far, oldest first.
    func publishedSoFar(waitingForStore: Bool = false) throws -> [EncodedEvent] {
        let environment = ProcessInfo.processInfo.environment
        if source != PaymentEvent.source {
            return try ServiceStores.publishedEvents(source: source, environment: environment).map { $0.encoded() }
        }
        if waitingForStore, case .sqlite(let path) = try PaymentsConfiguration(environment: environment).store,
           !FileManager.default.fileExists(atPath: path) {
            return []  // nothing stored yet: the first function to run creates the store
        }
        return try SQLiteEventBus(database: LocalStore.open().database).events().map(\.event)
    }

    func printLines<Events: Sequence>(_ events: Events) throws where Events.Element == EncodedEvent {
        for event in events {
            print(String(decoding: event.json, as: UTF8.self))
        }
        fflush(nil)  // a follower reads line by line through a pipe
    }

}

struct Functions: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the functions and what triggers each (routes, queue, stream).")

    func run() {
        for definition in FunctionRegistry.all {
            print("\(definition.name)\t\(definition.trigger)")
        }
    }
}

enum LocalStore {
    /// The configured backends (SQLite or DynamoDB), as the functions build them.
    static func backends() throws -> PaymentsBackends {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try PaymentsConfiguration(environment: environment)
        if case .sqlite(let path) = configuration.store, !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("No store at '\(path)' yet: nothing has been stored. (PAYMENTS_STORE=sqlite:PATH chooses another.)")
        }
        let clock = SystemClock()
        return try PaymentsBackends.make(configuration, environment: environment, httpClient: ToolingHTTP.client(clock: clock), clock: clock)
    }

    static func payments() throws -> any PaymentStore { try backends().store }

    /// An order's payments, from the configured store (on DynamoDB a Scan: tooling only).
    static func paymentsOfOrder(_ orderID: String) throws -> [Payment] {
        let configuration = try PaymentsConfiguration(environment: ProcessInfo.processInfo.environment)
        if case .sqlite(let path) = configuration.store, !FileManager.default.fileExists(atPath: path) { return [] }
        switch try backends().store {
        case let store as SQLitePaymentStore: return try store.payments(orderID: orderID)
        case let store as DynamoDBPaymentStore: return try store.payments(orderID: orderID)
        default: throw CommandFailure("this store cannot list an order's payments")
        }
    }

    /// The SQLite store the functions use, from PAYMENTS_STORE.
    static func open() throws -> SQLitePaymentStore {
        let configuration = try PaymentsConfiguration(environment: ProcessInfo.processInfo.environment)
        guard case .sqlite(let path) = configuration.store else {
            throw ValidationError("Published events are read from the local bus, which exists with PAYMENTS_STORE=sqlite:PATH; on EventBridge read them where the rules deliver them (the consumers' queues). `payments events --pending` shows the outbox of either store.")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("No store at '\(path)' yet: nothing has been stored. (PAYMENTS_STORE=sqlite:PATH chooses another.)")
        }
        return try SQLitePaymentStore(path: path)
    }
}
