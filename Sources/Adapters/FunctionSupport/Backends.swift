import AWSAdapters
import PaymentsCore
import PaymentsSQLite

/// The store, its outbox and the bus a configuration names, built in one place, held as protocols.
public struct Backends: Sendable {
    public var store: any PaymentStore
    public var outbox: any OutboxStore
    public var publisher: any EventPublisher
    /// Webhook transmissions already accepted, beside the payments (PayPal's replay check).
    public var transmissions: any TransmissionLedger
    /// Whether functions publish their outbox themselves once they have answered. With SQLite there is
    /// no stream, so they do; with DynamoDB the table's stream feeds `outbox-relay`, and the payment and
    /// webhook functions never call the bus.
    public var drainsAfterResponse: Bool
    /// Whether every invocation calls AWS over HTTPS (DynamoDB, EventBridge), so libcurl is certainly needed.
    public var callsAWS = false

    public init(store: any PaymentStore, outbox: any OutboxStore, publisher: any EventPublisher, transmissions: any TransmissionLedger,
                drainsAfterResponse: Bool) {
        self.store = store
        self.outbox = outbox
        self.publisher = publisher
        self.transmissions = transmissions
        self.drainsAfterResponse = drainsAfterResponse
    }

    public static func make(_ configuration: Configuration, environment: [String: String], httpClient: any HTTPClient,
                            clock: any WallClock, deadline: InvocationDeadline? = nil) throws -> Backends {
        func aws(_ service: AWSService) throws -> AWSJSONClient {
            try AWSJSONClient.fromEnvironment(service, environment: environment, http: httpClient, clock: clock, deadline: deadline)
        }
        let bus: (any EventPublisher)?
        if case .eventBridge(let name) = configuration.events {
            bus = EventBridgePublisher(client: try aws(.eventBridge), busName: name)
        } else {
            bus = nil
        }
        switch configuration.store {
        case .sqlite(let path):
            let store = try SQLitePaymentStore(path: path)
            let publisher = try bus ?? SQLiteEventBus(database: store.database)
            var backends = Backends(store: store, outbox: store, publisher: publisher,
                                    transmissions: SQLiteTransmissionLedger(store: store), drainsAfterResponse: true)
            backends.callsAWS = bus != nil
            return backends
        case .dynamoDB(let table):
            guard let bus else {
                throw ConfigurationError("PAYMENTS_STORE=dynamodb:… publishes to EventBridge: set PAYMENTS_EVENTS=eventbridge:BUS")
            }
            let dynamoDB = try aws(.dynamoDB)
            let store = DynamoDBPaymentStore(client: dynamoDB, tableName: table)
            var backends = Backends(store: store, outbox: store, publisher: bus,
                                    transmissions: DynamoDBTransmissionLedger(client: dynamoDB, tableName: table), drainsAfterResponse: false)
            backends.callsAWS = true
            return backends
        }
    }
}
