import PaymentsCore
import Platform

/// Where a function keeps payments and sends events, read from the environment (see README).
public struct PaymentsConfiguration: Sendable, Equatable {
    public enum Events: Sendable, Equatable {
        case sqlite
        case eventBridge(bus: String)
    }

    public var store: StoreSetting
    public var events: Events

    public static let defaultSQLitePath = "payments.sqlite"

    /// `PAYMENTS_STORE`: `sqlite:PATH` (default `sqlite:payments.sqlite`, in the working directory) or
    /// `dynamodb:TABLE`. `PAYMENTS_EVENTS`: `sqlite` (default) or `eventbridge:BUS`.
    public init(environment: [String: String]) throws(ConfigurationError) {
        self.store = try StoreSetting("PAYMENTS_STORE", environment: environment, default: "sqlite:\(Self.defaultSQLitePath)")
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
