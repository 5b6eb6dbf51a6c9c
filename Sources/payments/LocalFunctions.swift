import Foundation
import EventRules
import FunctionHost
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter

/// Builds functions in-process on demand, once each, from the process environment, as Lambda would.
final class LocalFunctions {
    let environment: [String: String]
    let logger: Logger
    private var built: [String: FunctionRuntime] = [:]
    /// The payments file's local bus, where the settings name one (`PAYMENTS_EVENTS=sqlite`): what a
    /// function published there is handed to its consumers after each invocation.
    private lazy var localBus: SQLiteEventBus? = {
        guard let configuration = try? PaymentsConfiguration(environment: environment), configuration.events == .sqlite,
              case .sqlite(let path) = configuration.store, let store = try? SQLitePaymentStore(path: path) else { return nil }
        return SQLiteEventBus(database: store.database)
    }()

    init(verbose: Bool = true) {
        environment = ProcessInfo.processInfo.environment
        logger = verbose ? standardErrorLogger(function: "payments") : .discarding
    }

    func runtime(for definition: FunctionDefinition) throws -> FunctionRuntime {
        if let runtime = built[definition.name] { return runtime }
        var functionLogger = logger
        functionLogger.function = definition.name
        // Settings written ssm:NAME are read from Parameter Store as the deployed function reads them;
        // a command lives too short for SECRETS_MAX_AGE to matter, so they are read once.
        let runtime = try SecretRefreshingRuntime(definition, environment: environment, logger: functionLogger).runtime
        built[definition.name] = runtime
        return runtime
    }

    /// Runs one invocation and then drains the outbox, as the Lambda loop does after answering; what
    /// reached the local bus is then handed to its consumers, as the bus's rules would in AWS.
    func invoke(_ definition: FunctionDefinition, event: [UInt8]) throws -> [UInt8] {
        let runtime = try runtime(for: definition)
        let context = InvocationContext(requestID: UUID().uuidString.lowercased(), logger: runtime.dependencies.logger)
        let response = try runtime.invoke(event: event, context: context)
        runtime.afterResponse(logger: context.logger)
        if let bus = localBus {
            deliverPublished(from: bus)
        }
        return response
    }

    /// Hands what the local bus holds and its consumers have not had to them (`LocalBus`).
    func deliverPublished(from bus: SQLiteEventBus) {
        do {
            LocalBus(bus: bus, rules: try EventRules.bundled(), consumers: self, environment: environment, logger: logger).deliver()
        } catch {
            logger.warning("events/rules.json could not be read; no event handed to the consumers", ["error": String(describing: error)])
        }
    }
}

extension LocalFunctions: ConsumerInvoker {
    func prepare(_ definition: FunctionDefinition) throws { _ = try runtime(for: definition) }
}

struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
