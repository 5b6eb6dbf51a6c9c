import AWSClients
import PaymentsCore
import Platform
import SQLiteAdapter

/// The `delivery` function. Settings: `DELIVERY_STORE` (`sqlite:PATH`, default `sqlite:delivery.sqlite`,
/// or `dynamodb:TABLE`) and, with DynamoDB, the standard AWS variables.
///
/// On SQLite the function publishes its outbox to the store's local bus (`bus_events`, which
/// `payments events --source shop.delivery` prints) after each batch. On DynamoDB it only writes the
/// outbox: the table's stream feeds `outbox-relay`, as for payments.
public enum DeliveryFunctions {
    public static let defaultStore = "sqlite:delivery.sqlite"

    public static let definition = FunctionDefinition(name: "delivery", trigger: SQSTrigger(queue: "BUS-delivery")) { try served($0) }

    /// The handler on the store `DELIVERY_STORE` names, and the drain of that store's outbox where no
    /// stream carries it.
    public static func served(_ dependencies: FunctionDependencies) throws -> Served<DeliveryHandler> {
        switch try StoreSetting("DELIVERY_STORE", environment: dependencies.environment, default: defaultStore) {
        case .sqlite(let path):
            let store = try SQLiteShipmentStore(path: path)
            return Served(DeliveryHandler(store: store, clock: dependencies.clock), drain: OutboxDrain(outbox: store, publisher: store.bus))
        case .dynamoDB(let table):
            let client = try dependencies.awsClient(.dynamoDB)
            return Served(DeliveryHandler(store: DynamoDBShipmentStore(table: DynamoDBTable(client: client, name: table)), clock: dependencies.clock),
                          callsAWSOnEveryInvocation: true)
        }
    }
}
