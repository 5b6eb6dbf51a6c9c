import ArgumentParser
import Foundation
import AWSClients
import DeliveryService
import FunctionHost
import LocalCloudFunctions
import NotificationService
import PaymentsCore
import Platform
import SQLiteAdapter

struct ShowOrder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show-order",
        abstract: "Print an order as JSON: its payments, its shipment (or null) and its notifications.",
        discussion: """
            Reads the stores the functions use: PAYMENTS_STORE, DELIVERY_STORE (default sqlite:delivery.sqlite) and
            NOTIFICATION_STORE (default sqlite:notifications.sqlite). With SQLite, notifications are the local channels'
            messages; with DynamoDB, the sent-records (a Scan: tooling only).
            """)

    @Argument(help: "The shop's order id.")
    var orderID: String

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let payments = try LocalStore.paymentsOfOrder(orderID)
        let shipment = try ServiceStores.shipment(orderID: orderID, environment: environment)
        let notifications = try ServiceStores.notifications(orderID: orderID, environment: environment)
        let output = OrderView(orderId: orderID, payments: payments.map(Self.record), shipment: shipment.map(ShipmentView.init),
                               notifications: notifications)
        let encoder = JSON.encoder
        encoder.outputFormatting.insert(.prettyPrinted)
        print(String(decoding: try encoder.encode(output), as: UTF8.self))
    }

    static func record(_ payment: Payment) -> PaymentRecord {
        var record = PaymentRecord(payment)
        record.checkout?.clientSecret = nil  // for the paying customer's browser only
        return record
    }
}

struct Notifications: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the messages the local notification channels sent, as JSON lines, oldest first.",
        discussion: "Reads NOTIFICATION_STORE (default sqlite:notifications.sqlite); in AWS the channels are SES and SNS.")

    func run() throws {
        let store = try ServiceStores.localNotifications(ProcessInfo.processInfo.environment)
        for message in try store?.localMessages() ?? [] {
            print(String(decoding: try JSON.encoder.encode(message), as: UTF8.self))
        }
    }
}

/// `payments show-order`'s output: `shipment` is null, not absent, when the order has none.
struct OrderView: Encodable {
    var orderId: String
    var payments: [PaymentRecord]
    var shipment: ShipmentView?
    var notifications: [NotificationView]

    enum CodingKeys: String, CodingKey { case orderId, payments, shipment, notifications }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(orderId, forKey: .orderId)
        try container.encode(payments, forKey: .payments)
        if let shipment { try container.encode(shipment, forKey: .shipment) } else { try container.encodeNil(forKey: .shipment) }
        try container.encode(notifications, forKey: .notifications)
    }
}

struct ShipmentView: Encodable {
    struct PaymentView: Encodable {
        var amount: Int
        var refundedAmount: Int
        var dispute: String
    }

    var shipmentId: String
    var orderId: String
    var status: String
    var paymentId: String?
    var payments: [String: PaymentView]
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    init(_ shipment: Shipment) {
        shipmentId = shipment.shipmentID
        orderId = shipment.orderID
        status = shipment.status.rawValue
        paymentId = shipment.paymentID
        payments = shipment.state.payments.mapValues {
            PaymentView(amount: $0.amount, refundedAmount: $0.refundedAmount, dispute: String(describing: $0.dispute))
        }
        version = shipment.version
        createdAt = shipment.createdAt
        updatedAt = shipment.updatedAt
    }
}

/// A notification of the order: the local channel's message, or (DynamoDB) the sent-record.
struct NotificationView: Encodable {
    var channel: String
    var to: String?
    var subject: String?
    var text: String?
    var eventId: String
    var detailType: String
    var messageId: String
    var sentAt: Date
}

/// The consumers' stores, as their functions configure them.
enum ServiceStores {
    static func shipment(orderID: String, environment: [String: String]) throws -> Shipment? {
        switch try StoreSetting("DELIVERY_STORE", environment: environment, default: DeliveryFunctions.defaultStore) {
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return try SQLiteShipmentStore(path: path).shipment(orderID: orderID)
        case .dynamoDB(let table):
            return try DynamoDBShipmentStore(table: DynamoDBTable(client: try awsClient(environment), name: table)).shipment(orderID: orderID)
        }
    }

    static func notifications(orderID: String, environment: [String: String]) throws -> [NotificationView] {
        switch try StoreSetting("NOTIFICATION_STORE", environment: environment, default: NotificationFunctions.defaultStore) {
        case .sqlite:
            return try localNotifications(environment)?.localMessages(orderID: orderID).map {
                NotificationView(channel: $0.channel, to: $0.to, subject: $0.subject, text: $0.text, eventId: $0.eventId,
                                 detailType: $0.detailType, messageId: $0.messageId, sentAt: $0.sentAt)
            } ?? []
        case .dynamoDB(let table):
            return try DynamoDBTable(client: try awsClient(environment), name: table).scan(type: "sent")
                .filter { $0[string: "orderId"] == orderID }
                .map { item in
                    NotificationView(channel: item[string: "channel"] ?? "", eventId: item[string: "eventId"] ?? "",
                                     detailType: item[string: "detailType"] ?? "", messageId: item[string: "messageId"] ?? "",
                                     sentAt: Date(timeIntervalSince1970: Double(item[int: "sentAt"] ?? 0) / 1000))
                }
                .sorted { ($0.sentAt, $0.eventId, $0.channel) < ($1.sentAt, $1.eventId, $1.channel) }
        }
    }

    /// The local Notification store, or nil when nothing was sent yet (no file).
    static func localNotifications(_ environment: [String: String]) throws -> SQLiteNotificationStore? {
        guard case .sqlite(let path) = try StoreSetting("NOTIFICATION_STORE", environment: environment, default: NotificationFunctions.defaultStore) else {
            throw ValidationError("The local channels' messages exist with NOTIFICATION_STORE=sqlite:PATH; in AWS email and SMS go through SES and SNS.")
        }
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try SQLiteNotificationStore(path: path)
    }

    /// A consumer's published events (`payments events --source`), from its SQLite store's local bus.
    static func publishedEvents(source: String, environment: [String: String]) throws -> [ServiceEvent] {
        let (name, fallback) = source == "shop.delivery"
            ? ("DELIVERY_STORE", DeliveryFunctions.defaultStore) : ("NOTIFICATION_STORE", NotificationFunctions.defaultStore)
        guard case .sqlite(let path) = try StoreSetting(name, environment: environment, default: fallback) else {
            throw ValidationError("\(source) events are kept locally with \(name)=sqlite:PATH; in AWS read them on the bus.")
        }
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let database = try SQLiteDatabase(path: path)
        return try SQLiteServiceFile.published(database)
    }

    static func awsClient(_ environment: [String: String]) throws -> AWSJSONClient {
        let clock = SystemClock()
        return try AWSJSONClient.fromEnvironment(.dynamoDB, environment: environment, http: ToolingHTTP.client(clock: clock), clock: clock, deadline: nil)
    }
}
