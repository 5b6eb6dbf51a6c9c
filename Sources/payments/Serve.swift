import ArgumentParser
import Foundation
import EventRules
import FunctionSupport
import LocalCloudFunctions
import LocalCloud
import PaymentsCore
import PaymentsSQLite

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the local stack: the real function binaries under a local Lambda, behind a local API Gateway, with the local bus feeding the consumers.",
        discussion: """
            Every function of this build runs as its own executable (found in --bin-path), started on demand as a child
            process speaking the Lambda Runtime API, with the environment of this command. HTTP requests to the routes
            (POST /payments/{provider}, POST /webhooks/{provider}, GET /payments/{id}) become API Gateway HTTP API
            events. With PAYMENTS_STORE=sqlite:PATH (the default) and PAYMENTS_EVENTS=sqlite, events published to the
            local bus are handed to the consumers (delivery, notification) by events/rules.json, through their own
            binaries. Build the binaries first: `swift build`. Ctrl-C stops everything.
            """)

    @Option(help: "The API Gateway's port on 127.0.0.1 (0: any free port; the chosen port is printed).")
    var port = 3000

    @Option(help: "The folder holding the function executables (default: the folder of this payments executable).")
    var binPath: String?

    @Option(help: "Instances each function may run at once (Lambda's concurrency); more requests wait in line.")
    var concurrency = 2

    @Option(help: "Seconds an invocation may run before the function is killed and restarted (the deployed functions have 29, the relay 60).")
    var timeout = 29

    @Option(help: "Write the gateway's URL to this file once it listens (for scripts).")
    var urlFile: String?

    @Flag(help: "Run the functions inside this process instead of as their binaries (no Lambda emulator; one invocation at a time per function). For comparing the emulator's cost.")
    var inProcess = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port is 0 to 65535.") }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency is 1 to 64.") }
        guard (1...900).contains(timeout) else { throw ValidationError("--timeout is 1 to 900 seconds, as in Lambda.") }
    }

    func run() async throws {
        let environment = try Self.childEnvironment(ProcessInfo.processInfo.environment)
        let logger = standardErrorLogger(function: "payments serve")
        let invoker: any FunctionInvoker
        var lambda: LocalLambda?
        if inProcess {
            invoker = InProcessRunner(functions: FunctionRegistry.all, environment: environment, logger: logger)
        } else {
            let folder = binPath ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
            let missing = FunctionRegistry.all.map(\.name).filter { !FileManager.default.isExecutableFile(atPath: folder + "/" + $0) }
            guard missing.isEmpty else {
                throw ValidationError("No executable for \(missing.joined(separator: ", ")) in \(folder): build them with `swift build` (or point --bin-path at them).")
            }
            let emulator = LocalLambda(functions: FunctionRegistry.all.map { definition in
                LambdaFunctionConfiguration(name: definition.name, executable: folder + "/" + definition.name, environment: environment,
                                            timeoutSeconds: timeout, memoryMB: 256, maxConcurrency: concurrency)
            })
            lambda = emulator
            invoker = emulator
        }
        let routes = try FunctionRegistry.gatewayRoutes()
        let gateway = LocalGateway(routes: routes, invoker: invoker, logger: { writeStandardError("[gateway] \($0)\n") },
                                   integrationTimeout: .seconds(timeout + 1))
        // The consumers run through the same invoker as the gateway's functions: their real binaries, or in-process.
        let delivery = try LocalEventDelivery.configured(environment: environment, consumers: invoker, logger: logger)

        let bound: Int
        do {
            bound = try await gateway.start(port: port)
        } catch {
            await lambda?.shutdown()
            throw CommandFailure("the API Gateway could not listen on 127.0.0.1:\(port): \(error)")
        }
        let deliveryLoop = delivery.map { LocalDeliveryLoop.start($0) }
        let url = "http://127.0.0.1:\(bound)"
        // Before the announcement: a script that waits for the line then reads the file must find it.
        if let urlFile { try url.write(toFile: urlFile, atomically: true, encoding: .utf8) }
        print("payments serve: API Gateway on \(url)")
        for route in routes.table { print("  \(route.routeKey.padding(toLength: 26, withPad: " ", startingAt: 0)) → \(route.function)") }
        print(delivery == nil
              ? "  events: \(environment["PAYMENTS_EVENTS"] ?? "sqlite") (not the local bus: relay them with `payments relay --follow`)"
              : "  events: local bus → \(await delivery?.targets.joined(separator: ", ") ?? "") (`payments events --follow` shows them)")
        fflush(nil)

        let stop = await StopSignal.wait(for: [SIGINT, SIGTERM])
        writeStandardError("payments serve: \(stop == SIGINT ? "SIGINT" : "SIGTERM"), stopping\n")
        await gateway.stop()
        await deliveryLoop?.stop()
        await lambda?.shutdown()
    }

    /// This command's environment with relative SQLite paths made absolute, so that every function, whatever
    /// folder it is started in, opens the same files as this process and `payments show`.
    static func childEnvironment(_ environment: [String: String]) throws -> [String: String] {
        var result = environment
        let here = FileManager.default.currentDirectoryPath
        for (name, fallback) in [("PAYMENTS_STORE", "sqlite:payments.sqlite"), ("DELIVERY_STORE", "sqlite:delivery.sqlite"),
                                 ("NOTIFICATION_STORE", "sqlite:notifications.sqlite")] {
            let value = environment[name] ?? fallback
            guard value.hasPrefix("sqlite:") else { continue }
            let path = String(value.dropFirst("sqlite:".count))
            result[name] = "sqlite:" + (path.hasPrefix("/") ? path : here + "/" + path)
        }
        for name in ["PAYPAL_WEBHOOK_CERT", "PAYPAL_TRUSTED_ROOTS"] {
            if let path = environment[name], !path.isEmpty, !path.hasPrefix("/") { result[name] = here + "/" + path }
        }
        return result
    }
}
