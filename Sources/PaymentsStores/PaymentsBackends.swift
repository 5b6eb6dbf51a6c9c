import AWSClients
import PaymentsCore
import Platform
import SQLiteAdapter

/// The payments store, its outbox and the bus `PAYMENTS_STORE` and `PAYMENTS_EVENTS` name, built in
/// one place, held as protocols.
public struct PaymentsBackends: Sendable {
    public var store: any PaymentStore
    public var outbox: any Outbox
    public var publisher: any EventPublisher
    /// Webhook transmissions already accepted, beside the payments (PayPal's replay check).
    public var transmissions: any TransmissionLedger
    /// Publishes the outbox once a function has answered. With SQLite there is no stream, so functions
    /// drain it themselves; with DynamoDB the table's stream feeds `outbox-relay`, and the payment and
    /// webhook functions never call the bus (nil).
    public var drain: OutboxDrain?
    /// Whether every invocation calls AWS over HTTPS (DynamoDB, EventBridge), so libcurl is certainly needed.
    public var callsAWS: Bool

    public init(store: any PaymentStore, outbox: any Outbox, publisher: any EventPublisher, transmissions: any TransmissionLedger,
                drainsAfterAnswer: Bool, callsAWS: Bool) {
        self.store = store
        self.outbox = outbox
        self.publisher = publisher
        self.transmissions = transmissions
        self.drain = drainsAfterAnswer ? OutboxDrain(outbox: outbox, publisher: publisher) : nil
        self.callsAWS = callsAWS
    }

    /// For the CLI, which has no function around it: nothing here logs.
    public static func make(_ configuration: PaymentsConfiguration, environment: [String: String], httpClient: any HTTPClient,
                            clock: any WallClock, deadline: InvocationDeadline? = nil) throws -> PaymentsBackends {
        try make(configuration, FunctionDependencies(clock: clock, httpClient: httpClient, environment: environment, logger: .discarding,
                                                     deadline: deadline))
    }

    /// From a function's settings.
    public static func make(_ dependencies: FunctionDependencies) throws -> PaymentsBackends {
        try make(PaymentsConfiguration(environment: dependencies.environment), dependencies)
    }

    static func make(_ configuration: PaymentsConfiguration, _ dependencies: FunctionDependencies) throws -> PaymentsBackends {
        let bus: (any EventPublisher)?
        if case .eventBridge(let name) = configuration.events {
            bus = EventBridgePublisher(client: try dependencies.awsClient(.eventBridge), busName: name)
        } else {
            bus = nil
        }
        switch configuration.store {
        case .sqlite(let path):
            let store = try SQLitePaymentStore(path: path)
            return PaymentsBackends(store: store, outbox: store, publisher: bus ?? SQLiteEventBus(database: store.database),
                                    transmissions: SQLiteTransmissionLedger(store: store), drainsAfterAnswer: true, callsAWS: bus != nil)
        case .dynamoDB(let table):
            guard let bus else {
                throw ConfigurationError("PAYMENTS_STORE=dynamodb:… publishes to EventBridge: set PAYMENTS_EVENTS=eventbridge:BUS")
            }
            let dynamoDB = try dependencies.awsClient(.dynamoDB)
            let store = DynamoDBPaymentStore(client: dynamoDB, tableName: table)
            return PaymentsBackends(store: store, outbox: store, publisher: bus,
                                    transmissions: DynamoDBTransmissionLedger(client: dynamoDB, tableName: table),
                                    drainsAfterAnswer: false, callsAWS: true)
        }
    }
}
