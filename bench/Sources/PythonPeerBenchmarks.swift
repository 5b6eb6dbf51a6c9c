import Foundation
import Platform

/// The Python peer (bench/PythonPeer): Stripe's official SDK and sqlite3 doing the same transaction as
/// the C floor, on the same signed deliveries, in its own process. It times itself (perf_counter and
/// process_time around the handler loop only), so interpreter start and imports are not counted.
enum PythonPeerBenchmarks {
    struct Cost: Decodable {
        var events: Int
        var stored: Int
        var wall_us_per_event: Double
        var cpu_us_per_event: Double
    }

    static func measure(python: String, script: String, count: Int) throws -> Cost {
        let now = Int(Date().timeIntervalSince1970)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("payments-bench-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var lines = ""
        for index in 0..<count {
            let delivery = Benchmarks.signedDelivery(index: index, now: now)
            let line = try JSONSerialization.data(withJSONObject: ["body": delivery.body ?? "", "signature": delivery.header("stripe-signature") ?? ""])
            lines += String(decoding: line, as: UTF8.self) + "\n"
        }
        let deliveries = folder.appendingPathComponent("deliveries.jsonl")
        try lines.write(to: deliveries, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--deliveries", deliveries.path, "--secret", Benchmarks.secret,
                             "--store", folder.appendingPathComponent("peer.sqlite").path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("the Python peer failed (exit \(process.terminationStatus)); is the Stripe SDK installed for \(python)?") }
        let cost = try JSONDecoder().decode(Cost.self, from: data)
        guard cost.stored == count else { throw BenchError("the Python peer stored \(cost.stored) of \(count) events") }
        return cost
    }
}
