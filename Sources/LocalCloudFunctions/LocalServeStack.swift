import Foundation
import FunctionHost
import Platform
import LocalCloud
import PaymentsCore
import PaymentsStores

/// What `payments serve` runs: every function of this build (its real binary under `LocalLambda`, or
/// in this process), the API Gateway in front of them on 127.0.0.1, and, when the functions publish
/// to the local bus, the loop handing its events to the consumers through the same invoker.
public final class LocalServeStack: Sendable {
    /// How the functions run.
    public enum Functions: Sendable {
        /// Their executables in `folder`, as child processes speaking the Lambda Runtime API.
        case binaries(folder: String, concurrency: Int)
        /// Inside this process (`InProcessRunner`): one invocation at a time per function.
        case inProcess
    }

    public let url: String
    public let routes: GatewayRoutes
    /// The consumers the local bus feeds, or nil when the functions publish elsewhere.
    public let deliveryTargets: [String]?
    private let gateway: LocalGateway
    private let lambda: LocalLambda?
    private let deliveryLoop: LocalDeliveryLoop?

    private init(url: String, routes: GatewayRoutes, deliveryTargets: [String]?, gateway: LocalGateway, lambda: LocalLambda?,
                 deliveryLoop: LocalDeliveryLoop?) {
        self.url = url
        self.routes = routes
        self.deliveryTargets = deliveryTargets
        self.gateway = gateway
        self.lambda = lambda
        self.deliveryLoop = deliveryLoop
    }

    /// The functions whose executable is missing from `folder`.
    public static func missingExecutables(in folder: String) -> [String] {
        FunctionRegistry.all.map(\.name).filter { !FileManager.default.isExecutableFile(atPath: folder + "/" + $0) }
    }

    /// Starts everything and returns once the gateway listens on 127.0.0.1:`port` (0: a free port).
    /// - Parameters:
    ///   - environment: the functions' settings (see `childEnvironment`).
    ///   - timeoutSeconds: each function's timeout; the gateway waits one second more.
    ///   - gatewayLog: one line per request.
    public static func start(_ functions: Functions, port: Int, environment: [String: String], timeoutSeconds: Int,
                             logger: Logger, gatewayLog: @escaping @Sendable (String) -> Void) async throws -> LocalServeStack {
        let invoker: any FunctionInvoker
        var lambda: LocalLambda?
        switch functions {
        case .inProcess:
            invoker = InProcessRunner(functions: FunctionRegistry.all, environment: environment, logger: logger)
        case .binaries(let folder, let concurrency):
            let emulator = LocalLambda(functions: FunctionRegistry.all.map { definition in
                LambdaFunctionConfiguration(name: definition.name, executable: folder + "/" + definition.name, environment: environment,
                                            timeoutSeconds: timeoutSeconds, memoryMB: 256, maxConcurrency: concurrency)
            })
            lambda = emulator
            invoker = emulator
        }
        let routes = try FunctionRegistry.gatewayRoutes()
        let gateway = LocalGateway(routes: routes, invoker: invoker, logger: gatewayLog, integrationTimeout: .seconds(timeoutSeconds + 1))
        // The consumers run through the same invoker as the gateway's functions: their real binaries, or in-process.
        let delivery = try LocalEventDelivery.configured(environment: environment, consumers: invoker, logger: logger)
        let bound: Int
        do {
            bound = try await gateway.start(port: port)
        } catch {
            await lambda?.shutdown()
            throw CommandFailure("the API Gateway could not listen on 127.0.0.1:\(port): \(error)")
        }
        let targets = await delivery?.targets
        return LocalServeStack(url: "http://127.0.0.1:\(bound)", routes: routes, deliveryTargets: targets, gateway: gateway,
                               lambda: lambda, deliveryLoop: delivery.map { LocalDeliveryLoop.start($0) })
    }

    /// Stops accepting requests, answers those in flight, stops the local bus's loop, then the functions.
    public func stop() async {
        await gateway.stop()
        await deliveryLoop?.stop()
        await lambda?.shutdown()
    }

    /// `environment` with relative SQLite paths made absolute against `folder`, so that every function,
    /// whatever folder it is started in, opens the same files as the command and `payments show`.
    public static func childEnvironment(_ environment: [String: String], folder: String) -> [String: String] {
        var result = environment
        for (name, fallback) in [("PAYMENTS_STORE", "sqlite:payments.sqlite"), ("DELIVERY_STORE", "sqlite:delivery.sqlite"),
                                 ("NOTIFICATION_STORE", "sqlite:notifications.sqlite")] {
            guard case .sqlite(let path)? = try? StoreSetting(name, environment: environment, default: fallback) else { continue }
            result[name] = "sqlite:" + (path.hasPrefix("/") ? path : folder + "/" + path)
        }
        for name in ["PAYPAL_WEBHOOK_CERT", "PAYPAL_TRUSTED_ROOTS"] {
            if let path = environment[name], !path.isEmpty, !path.hasPrefix("/") { result[name] = folder + "/" + path }
        }
        return result
    }
}
