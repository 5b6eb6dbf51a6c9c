import ArgumentParser
import Foundation
import FunctionHost
import Platform
import LocalCloudFunctions

struct Invoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one function's handler on one API Gateway event and print its response JSON.")

    @Argument(help: "The function, e.g. stripe-webhook (see `payments functions`).")
    var function: String

    @Option(name: .long, help: "The API Gateway HTTP API (2.0) event: a file, or - for standard input.")
    var event: String

    func run() async throws {
        guard let definition = FunctionRegistry.named(function) else {
            throw ValidationError("Unknown function '\(function)'. Known: \(FunctionRegistry.all.map(\.name).joined(separator: ", ")).")
        }
        let bytes: [UInt8]
        if event == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: event) else { throw ValidationError("Cannot read event file '\(event)'.") }
            bytes = Array(data)
        }
        do {
            let calls = try LocalFunctionCalls.configured(environment: ProcessInfo.processInfo.environment,
                                                          logger: standardErrorLogger(function: "payments"))
            let response = try await calls.invoke(definition.name, event: bytes)
            print(String(decoding: response, as: UTF8.self))
        } catch {
            writeStandardError("payments invoke: \(function) failed: \(error)\n")
            throw ExitCode.failure
        }
    }
}
