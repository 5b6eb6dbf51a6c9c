import Foundation
import Platform

// payments-bench [--bootstrap PATH] [--floor-bootstrap PATH] [--bin FOLDER] [--python PATH] [--baseline FILE] [--out FILE] [--quick] [--only KEY]
// Prints each measurement beside its baseline; run through bench/run.sh (release build, one core).
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, in arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
let quick = arguments.contains("--quick")
// `--only KEY-PREFIX` runs just the matching scenarios, e.g. under a profiler.
let only = option("--only")
func wanted(_ key: String) -> Bool { only.map { key.hasPrefix($0) } ?? true }

struct Metric {
    var key: String
    var label: String
    var unit: String
    var higherIsBetter: Bool
    var value: Double
}

var metrics: [Metric] = []
do {
    let events = quick ? 2_000 : 20_000
    if wanted("webhook_events") { metrics.append(Metric(key: "webhook_events_per_second", label: "webhook events/s (verify+decode+transition+SQLite+outbox)",
                          unit: "/s", higherIsBetter: true, value: try Benchmarks.webhookThroughput(count: events))) }
    if wanted("duplicate") { metrics.append(Metric(key: "duplicate_webhooks_per_second", label: "duplicate webhook deliveries/s (no write)",
                          unit: "/s", higherIsBetter: true, value: try Benchmarks.duplicateThroughput(count: events))) }
    if wanted("runtime") {
        // Ours and the C client alternately, the best of three rounds each, as for the webhook floor:
        // a burst of load on the machine then penalises neither side alone (single runs of either
        // have differed by half between runs).
        let invocations = quick ? 500 : 5_000
        let floorBootstrap = option("--floor-bootstrap")
        var ours = Double.infinity, floor = Double.infinity
        for _ in 0..<(quick ? 1 : 3) {
            ours = min(ours, try Benchmarks.runtimeLoopOverhead(count: invocations))
            if let floorBootstrap { floor = min(floor, try FloorBootstrapBenchmarks.loopOverhead(bootstrap: floorBootstrap, count: invocations)) }
        }
        metrics.append(Metric(key: "runtime_loop_overhead_us", label: "runtime loop overhead per invocation",
                              unit: "µs", higherIsBetter: false, value: ours))
        if floorBootstrap != nil {
            metrics.append(Metric(key: "floor_runtime_loop_us", label: "C bootstrap: next + response per invocation",
                                  unit: "µs", higherIsBetter: false, value: floor))
            metrics.append(Metric(key: "runtime_loop_to_floor_ratio", label: "ours / C bootstrap, runtime loop",
                                  unit: "×", higherIsBetter: false, value: ours / floor))
        }
    }
    if wanted("floor") || wanted("webhook_wall") {
        let costs = try FloorBenchmarks.compare(count: quick ? 2_000 : 10_000, rounds: quick ? 1 : 3)
        metrics += [
            Metric(key: "webhook_wall_us_per_event", label: "webhook path, wall time per event", unit: "µs", higherIsBetter: false, value: costs.oursWall),
            Metric(key: "webhook_cpu_us_per_event", label: "webhook path, CPU time per event", unit: "µs", higherIsBetter: false, value: costs.oursCPU),
            Metric(key: "floor_wall_us_per_event", label: "C floor (OpenSSL HMAC, scan, SQLite), wall per event", unit: "µs", higherIsBetter: false, value: costs.floorWall),
            Metric(key: "floor_cpu_us_per_event", label: "C floor, CPU per event", unit: "µs", higherIsBetter: false, value: costs.floorCPU),
            Metric(key: "webhook_to_floor_wall_ratio", label: "ours / floor, wall", unit: "×", higherIsBetter: false, value: costs.oursWall / costs.floorWall),
            Metric(key: "webhook_to_floor_cpu_ratio", label: "ours / floor, CPU", unit: "×", higherIsBetter: false, value: costs.oursCPU / costs.floorCPU),
            Metric(key: "webhook_user_us_per_event", label: "webhook path, CPU in user space", unit: "µs", higherIsBetter: false, value: costs.oursUser),
            Metric(key: "webhook_system_us_per_event", label: "webhook path, CPU in the kernel", unit: "µs", higherIsBetter: false, value: costs.oursSystem),
            Metric(key: "floor_user_us_per_event", label: "C floor, CPU in user space", unit: "µs", higherIsBetter: false, value: costs.floorUser),
            Metric(key: "floor_system_us_per_event", label: "C floor, CPU in the kernel", unit: "µs", higherIsBetter: false, value: costs.floorSystem),
        ]
    }
    if let python = option("--python"), wanted("python") {
        // Ours on the same machine in the same run: the in-process wall time per event, measured just before.
        let count = quick ? 2_000 : 10_000
        let ours = try FloorBenchmarks.compare(count: count, rounds: 1).oursWall
        let peer = try PythonPeerBenchmarks.measure(python: python, script: "bench/PythonPeer/stripe_webhook_peer.py", count: count)
        metrics += [
            Metric(key: "python_peer_wall_us_per_event", label: "Python peer (Stripe SDK + sqlite3), wall per event", unit: "µs", higherIsBetter: false, value: peer.wall_us_per_event),
            Metric(key: "python_peer_cpu_us_per_event", label: "Python peer, CPU per event", unit: "µs", higherIsBetter: false, value: peer.cpu_us_per_event),
            Metric(key: "webhook_to_python_throughput_ratio", label: "our throughput / the Python peer's (wall)", unit: "×", higherIsBetter: true, value: peer.wall_us_per_event / ours),
        ]
    }
    if let folder = option("--bin"), wanted("memory") {
        let invocations = quick ? 2_000 : 10_000
        let usage = try MemoryBenchmarks.stripeWebhook(bootstrap: folder + "/stripe-webhook", count: invocations)
        metrics.append(Metric(key: "peak_rss_mb_stripe_webhook", label: "stripe-webhook peak RSS, \(invocations) real webhooks",
                              unit: "MB", higherIsBetter: false, value: usage.peakMB))
        metrics.append(Metric(key: "rss_growth_mb_stripe_webhook", label: "stripe-webhook RSS growth, invocation 1,000 → last",
                              unit: "MB", higherIsBetter: false, value: usage.growthMB))
        for (function, event, environment, expect) in MemoryCases.all {
            let usage = try MemoryBenchmarks.function(bootstrap: folder + "/" + function, event: event, count: invocations,
                                                      environment: environment, expect: expect)
            let key = function.replacingOccurrences(of: "-", with: "_")
            metrics.append(Metric(key: "peak_rss_mb_\(key)", label: "\(function) peak RSS (growth \(String(format: "%+.1f", usage.growthMB)) MB)",
                                  unit: "MB", higherIsBetter: false, value: usage.peakMB))
        }
    }
    if let bootstrap = option("--bootstrap"), wanted("cold") || wanted("cold_start_ssm_ms") {
        if wanted("cold") {
            metrics.append(Metric(key: "cold_start_to_first_response_ms", label: "stripe-webhook exec → first response (median)",
                                  unit: "ms", higherIsBetter: false, value: try Benchmarks.coldStart(bootstrap: bootstrap, runs: quick ? 5 : 21)))
            if let floor = option("--floor-bootstrap") {
                metrics.append(Metric(key: "floor_cold_start_ms", label: "C bootstrap (verify + scan) exec → first response",
                                      unit: "ms", higherIsBetter: false, value: try FloorBootstrapBenchmarks.coldStart(bootstrap: floor, runs: quick ? 5 : 21)))
            }
        }
        if wanted("cold_start_ssm_ms") {
            metrics.append(Metric(key: "cold_start_ssm_ms", label: "stripe-webhook, secret from SSM (moto), exec → first response",
                                  unit: "ms", higherIsBetter: false, value: try SSMColdStartBenchmarks.coldStart(bootstrap: bootstrap, runs: quick ? 5 : 21)))
        }
    }
} catch {
    Benchmarks.removeTemporaryStores()
    FileHandle.standardError.write(Data("benchmark failed: \(error)\n".utf8))
    exit(1)
}
Benchmarks.removeTemporaryStores()

let baseline: [String: Double] = option("--baseline").flatMap { path in
    (try? Data(contentsOf: URL(fileURLWithPath: path))).flatMap { try? JSONDecoder().decode([String: Double].self, from: $0) }
} ?? [:]

print(String(repeating: "-", count: 100))
for metric in metrics {
    var line = "\(metric.label.padding(toLength: 58, withPad: " ", startingAt: 0)) \(String(format: "%12.1f", metric.value)) \(metric.unit)"
    if let base = baseline[metric.key], base > 0 {
        let change = (metric.value - base) / base * 100
        let worse = metric.higherIsBetter ? change < -20 : change > 20
        line += String(format: "   baseline %10.1f  %+6.1f%%", base, change) + (worse ? "  REGRESSION" : "")
    }
    print(line)
}
print(String(repeating: "-", count: 100))

if let out = option("--out") {
    let values = Dictionary(uniqueKeysWithValues: metrics.map { ($0.key, ($0.value * 10).rounded() / 10) })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try? FileManager.default.createDirectory(at: URL(fileURLWithPath: out).deletingLastPathComponent(), withIntermediateDirectories: true)
    try encoder.encode(values).write(to: URL(fileURLWithPath: out))
}
