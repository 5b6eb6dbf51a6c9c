import ArgumentParser
import Foundation
import FunctionHost
import Platform
import LocalCloudFunctions
import PaymentsCore

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay API Gateway event files, each routed to its function as API Gateway would.",
        discussion: "Folders are read recursively; their .json files are replayed in name order.")

    @Argument(help: "Event files and folders.")
    var paths: [String]

    @Flag(help: "Print each event's result as a JSON line on standard output.")
    var verbose = false

    func run() async throws {
        let files = try Self.eventFiles(paths)
        guard !files.isEmpty else { throw ValidationError("No .json event files under \(paths.joined(separator: " ")).") }
        let functions = try LocalFunctionCalls.configured(environment: ProcessInfo.processInfo.environment,
                                                          logger: verbose ? standardErrorLogger(function: "payments") : .discarding)
        var progress = ProgressBar(total: files.count)
        var summary = ReplaySummary()
        for file in files {
            let outcome = await replay(file, functions: functions)
            summary.record(outcome)
            if verbose { print(outcome.jsonLine) }
            progress.advance()
        }
        progress.finish()
        print(summary.report)
        if summary.failures > 0 { throw ExitCode.failure }
    }

    func replay(_ file: String, functions: LocalFunctionCalls) async -> ReplayOutcome {
        guard let data = FileManager.default.contents(atPath: file) else {
            return ReplayOutcome(file: file, function: nil, status: nil, error: "cannot read the file")
        }
        let request: APIGatewayV2Request
        do {
            request = try APIGatewayV2Request(event: Array(data))
        } catch {
            return ReplayOutcome(file: file, function: nil, status: nil, error: error.description)
        }
        let candidates = (try? FunctionRegistry.candidates(method: request.method, rawPath: request.rawPath)) ?? []
        guard let definition = await functions.firstConfigured(candidates) else {
            return ReplayOutcome(file: file, function: nil, status: nil, error: "no function serves \(request.method) \(request.rawPath)")
        }
        do {
            let response = try await functions.invoke(definition.name, event: Array(data))
            let decoded = try JSONDecoder().decode(APIGatewayV2Response.self, from: Data(response))
            return ReplayOutcome(file: file, function: definition.name, status: decoded.statusCode, error: nil)
        } catch {
            return ReplayOutcome(file: file, function: definition.name, status: nil, error: String(describing: error))
        }
    }

    static func eventFiles(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("'\(path)' does not exist.")
            }
            if isDirectory.boolValue {
                let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
                files += found.filter { $0.hasSuffix(".json") && !$0.hasSuffix("manifest.json") }.sorted().map { "\(path)/\($0)" }
            } else {
                files.append(path)
            }
        }
        return files
    }
}

struct ReplayOutcome {
    var file: String
    var function: String?
    var status: Int?
    var error: String?

    var jsonLine: String {
        var object: [String: String] = ["file": file]
        object["function"] = function
        object["status"] = status.map(String.init)
        object["error"] = error
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

struct ReplaySummary {
    var byStatus: [Int: Int] = [:]
    var byFunction: [String: Int] = [:]
    var errors: [(String, String)] = []
    var count = 0

    var failures: Int { errors.count }

    mutating func record(_ outcome: ReplayOutcome) {
        count += 1
        if let status = outcome.status { byStatus[status, default: 0] += 1 }
        if let function = outcome.function { byFunction[function, default: 0] += 1 }
        if let error = outcome.error { errors.append((outcome.file, error)) }
    }

    var report: String {
        var lines = ["replayed \(count) events"]
        for (status, n) in byStatus.sorted(by: { $0.key < $1.key }) { lines.append("  \(status): \(n)") }
        for (function, n) in byFunction.sorted(by: { $0.key < $1.key }) { lines.append("  \(function): \(n)") }
        if !errors.isEmpty {
            lines.append("  errors: \(errors.count)")
            for (file, error) in errors { lines.append("    \(file): \(error)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// A one-line bar on standard error, drawn only when standard error is a terminal.
struct ProgressBar {
    let total: Int
    var done = 0
    let enabled = isatty(2) == 1

    init(total: Int) { self.total = total }

    mutating func advance() {
        done += 1
        guard enabled else { return }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        writeStandardError("\r[\(bar)] \(done)/\(total)")
    }

    func finish() {
        if enabled { writeStandardError("\n") }
    }
}
