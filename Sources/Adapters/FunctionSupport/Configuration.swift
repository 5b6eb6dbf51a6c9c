import PaymentsCore

/// Where a function keeps payments and sends events, read from the environment (see README).
public struct Configuration: Sendable, Equatable {
    public enum Store: Sendable, Equatable {
        case sqlite(path: String)
        case dynamoDB(table: String)
    }

    public enum Events: Sendable, Equatable {
        case sqlite
        case eventBridge(bus: String)
    }

    public var store: Store
    public var events: Events

    public static let defaultSQLitePath = "payments.sqlite"

    /// `PAYMENTS_STORE`: `sqlite:PATH` (default `sqlite:payments.sqlite`, in the working directory) or
    /// `dynamodb:TABLE`. `PAYMENTS_EVENTS`: `sqlite` (default) or `eventbridge:BUS`.
    public init(environment: [String: String]) throws(ConfigurationError) {
        let store = environment["PAYMENTS_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "sqlite:\(Self.defaultSQLitePath)"
        if store.hasPrefix("sqlite:"), store.count > "sqlite:".count {
            self.store = .sqlite(path: String(store.dropFirst("sqlite:".count)))
        } else if store.hasPrefix("dynamodb:"), store.count > "dynamodb:".count {
            self.store = .dynamoDB(table: String(store.dropFirst("dynamodb:".count)))
        } else {
            throw ConfigurationError("PAYMENTS_STORE must be sqlite:PATH or dynamodb:TABLE")
        }
        let events = environment["PAYMENTS_EVENTS"].flatMap { $0.isEmpty ? nil : $0 } ?? "sqlite"
        if events == "sqlite" {
            self.events = .sqlite
        } else if events.hasPrefix("eventbridge:"), events.count > "eventbridge:".count {
            self.events = .eventBridge(bus: String(events.dropFirst("eventbridge:".count)))
        } else {
            throw ConfigurationError("PAYMENTS_EVENTS must be sqlite or eventbridge:BUS")
        }
    }
}
