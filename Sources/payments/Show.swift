import ArgumentParser
import Foundation
import FunctionSupport
import PaymentsCore
import PaymentsSQLite
import AWSAdapters

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

    func run() throws {
        if source != PaymentEvent.source {
            guard ["shop.delivery", "shop.notifications"].contains(source), !pending else {
                throw ValidationError("--source is shop.payments, shop.delivery or shop.notifications (without --pending).")
            }
            for event in try ServiceStores.publishedEvents(source: source, environment: ProcessInfo.processInfo.environment) {
                print(String(decoding: try event.json(), as: UTF8.self))
            }
            return
        }
        let events: [PaymentEvent]
        if pending {
            events = try LocalStore.backends().outbox.unpublishedEvents(limit: Int.max)
        } else {
            events = try SQLiteEventBus(database: LocalStore.open().database).events().map(\.event)
        }
        for event in events {
            print(String(decoding: try event.json(), as: UTF8.self))
        }
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
    static func backends() throws -> Backends {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try Configuration(environment: environment)
        if case .sqlite(let path) = configuration.store, !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("No store at '\(path)' yet: nothing has been stored. (PAYMENTS_STORE=sqlite:PATH chooses another.)")
        }
        let clock = SystemClock()
        return try Backends.make(configuration, environment: environment, httpClient: LocalHTTP.client(clock: clock), clock: clock)
    }

    static func payments() throws -> any PaymentStore { try backends().store }

    /// An order's payments, from the configured store (on DynamoDB a Scan: tooling only).
    static func paymentsOfOrder(_ orderID: String) throws -> [Payment] {
        let configuration = try Configuration(environment: ProcessInfo.processInfo.environment)
        if case .sqlite(let path) = configuration.store, !FileManager.default.fileExists(atPath: path) { return [] }
        switch try backends().store {
        case let store as SQLitePaymentStore: return try store.payments(orderID: orderID)
        case let store as DynamoDBPaymentStore: return try store.payments(orderID: orderID)
        default: throw CommandFailure("this store cannot list an order's payments")
        }
    }

    /// The SQLite store the functions use, from PAYMENTS_STORE.
    static func open() throws -> SQLitePaymentStore {
        let configuration = try Configuration(environment: ProcessInfo.processInfo.environment)
        guard case .sqlite(let path) = configuration.store else {
            throw ValidationError("Published events are read from the local bus, which exists with PAYMENTS_STORE=sqlite:PATH; on EventBridge read them where the rules deliver them (the consumers' queues). `payments events --pending` shows the outbox of either store.")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("No store at '\(path)' yet: nothing has been stored. (PAYMENTS_STORE=sqlite:PATH chooses another.)")
        }
        return try SQLitePaymentStore(path: path)
    }
}
