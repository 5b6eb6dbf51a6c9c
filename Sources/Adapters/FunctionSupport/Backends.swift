import PaymentsCore
import PaymentsSQLite

/// The store, its outbox and the bus a configuration names, built in one place, held as protocols.
public struct Backends: Sendable {
    public var store: any PaymentStore
    public var outbox: any OutboxStore
    public var publisher: any EventPublisher
    /// Whether functions publish their outbox themselves once they have answered. With SQLite there is
    /// no stream, so they do; with DynamoDB the table's stream feeds `outbox-relay`, and the payment and
    /// webhook functions never call the bus.
    public var drainsAfterResponse: Bool

    public init(store: any PaymentStore, outbox: any OutboxStore, publisher: any EventPublisher, drainsAfterResponse: Bool) {
        self.store = store
        self.outbox = outbox
        self.publisher = publisher
        self.drainsAfterResponse = drainsAfterResponse
    }

    public static func make(_ configuration: Configuration, environment: [String: String], httpClient: any HTTPClient,
                            clock: any WallClock) throws -> Backends {
        switch configuration.store {
        case .sqlite(let path):
            let store = try SQLitePaymentStore(path: path)
            let publisher: any EventPublisher
            switch configuration.events {
            case .sqlite:
                publisher = try SQLiteEventBus(database: store.database)
            case .eventBridge:
                throw ConfigurationError("PAYMENTS_EVENTS=eventbridge:… needs the AWS adapters, which this build does not include yet; use sqlite")
            }
            return Backends(store: store, outbox: store, publisher: publisher, drainsAfterResponse: true)
        case .dynamoDB:
            throw ConfigurationError("PAYMENTS_STORE=dynamodb:… needs the AWS adapters, which this build does not include yet; use sqlite:PATH")
        }
    }
}
