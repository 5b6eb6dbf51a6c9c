import ArgumentParser
import Foundation
import FunctionHost
import Platform
import LocalCloudFunctions
import LocalCloud

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
        let environment = LocalServeStack.childEnvironment(ProcessInfo.processInfo.environment,
                                                           folder: FileManager.default.currentDirectoryPath)
        let functions: LocalServeStack.Functions
        if inProcess {
            functions = .inProcess
        } else {
            let folder = binPath ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
            let missing = LocalServeStack.missingExecutables(in: folder)
            guard missing.isEmpty else {
                throw ValidationError("No executable for \(missing.joined(separator: ", ")) in \(folder): build them with `swift build` (or point --bin-path at them).")
            }
            functions = .binaries(folder: folder, concurrency: concurrency)
        }
        let stack = try await LocalServeStack.start(functions, port: port, environment: environment, timeoutSeconds: timeout,
                                                    logger: standardErrorLogger(function: "payments serve"),
                                                    gatewayLog: { writeStandardError("[gateway] \($0)\n") })
        // Before the announcement: a script that waits for the line then reads the file must find it.
        if let urlFile { try stack.url.write(toFile: urlFile, atomically: true, encoding: .utf8) }
        print("payments serve: API Gateway on \(stack.url)")
        for route in stack.routes.table { print("  \(route.routeKey.padding(toLength: 26, withPad: " ", startingAt: 0)) → \(route.function)") }
        if let targets = stack.deliveryTargets {
            print("  events: local bus → \(targets.joined(separator: ", ")) (`payments events --follow` shows them)")
        } else {
            print("  events: \(environment["PAYMENTS_EVENTS"] ?? "sqlite") (not the local bus: relay them with `payments relay --follow`)")
        }
        fflush(nil)

        let stop = await StopSignal.wait(for: [SIGINT, SIGTERM])
        writeStandardError("payments serve: \(stop == SIGINT ? "SIGINT" : "SIGTERM"), stopping\n")
        await stack.stop()
    }
}
