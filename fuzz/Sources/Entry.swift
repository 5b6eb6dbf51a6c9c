#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry points. One binary holds every target; `FUZZ_TARGET` names the one a run feeds
/// (scripts/fuzz.sh runs each in turn), so the whole set is linked once.
nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let names = FuzzTarget.all.map(\.name).joined(separator: ", ")
    guard let name = getenv("FUZZ_TARGET").map({ String(cString: $0) }) else {
        fatalError("set FUZZ_TARGET to one of: \(names)")
    }
    guard let target = FuzzTarget.all.first(where: { $0.name == name }) else {
        fatalError("unknown FUZZ_TARGET '\(name)'; one of: \(names)")
    }
    target.prepare()
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    selected!.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// One parser under fuzzing: `run` feeds it an input and traps (`check`) when an invariant breaks.
struct FuzzTarget: Sendable {
    var name: String
    /// Work done once before the first input (fixtures read, keys made), so it is not timed per input.
    var prepare: @Sendable () -> Void = {}
    var run: @Sendable ([UInt8]) -> Void

    static let all: [FuzzTarget] = [
        .strictJSON, .stripeSignature, .paypalTransmission, .paypalCertificates,
        .safeXML, .braintreeWebhook, .apiGatewayEvent, .sqsEvent, .dynamoDBStream,
    ]
}

/// An invariant of the code under test: when it does not hold, the input is a finding (libFuzzer
/// saves it as crash-…, like any other trap).
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}

/// The input split at its first `count - 1` newlines (fields of a header set, a mode and a text…).
func fields(_ bytes: [UInt8], count: Int) -> [String] {
    bytes.split(separator: UInt8(ascii: "\n"), maxSplits: count - 1, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
}
