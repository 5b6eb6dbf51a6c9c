import ArgumentParser
import Dispatch
import Foundation
import FunctionHost
import Platform
import LocalCloud

/// `payments emulate`: reads its options and runs a `RuntimeInterfaceEmulator`.
struct Emulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run any Lambda bootstrap behind a Runtime-Interface-Emulator-compatible endpoint.",
        discussion: """
            POST /2015-03-31/functions/function/invocations on 127.0.0.1 (the body is the event).
            Reads AWS_LAMBDA_FUNCTION_TIMEOUT (seconds, default 300), AWS_LAMBDA_FUNCTION_NAME (test_function),
            AWS_LAMBDA_FUNCTION_MEMORY_SIZE (3008) and AWS_LAMBDA_FUNCTION_HANDLER or _HANDLER; passes the
            environment on to the command. Prints `payments emulate: listening on URL` once ready.
            A function error answers 200 with the runtime's error body and X-Amz-Function-Error: Unhandled;
            a timeout 200 with a Sandbox.Timedout body; a crashed runtime 502 with Runtime.ExitError.
            """
    )

    @Option(name: .long, help: "The port to listen on (127.0.0.1); 0 picks a free one.")
    var port: Int = 8080

    @Argument(parsing: .postTerminator, help: "The bootstrap and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("Name the bootstrap to run after --, e.g. payments emulate -- .build/debug/stripe-webhook") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
    }

    func run() async throws {
        let function: LambdaFunctionConfiguration
        do {
            function = try RuntimeInterfaceEmulator.function(command: command, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        let emulator: RuntimeInterfaceEmulator
        do {
            emulator = try await RuntimeInterfaceEmulator.start(function, port: port)
        } catch {
            writeStandardError("payments emulate: cannot listen on 127.0.0.1:\(port): \(error)\n")
            throw ExitCode.failure
        }
        // One unbuffered write, so a script reading our stdout sees the line at once.
        FileHandle.standardOutput.write(Data("payments emulate: listening on \(emulator.invocationsURL)\n".utf8))

        // SIGINT / SIGTERM: kill the function's processes (their own process group, so a Ctrl-C at the
        // terminal reaches only this process), answer what is in flight, stop listening, exit.
        let stop = await StopSignal.wait(for: [SIGINT, SIGTERM])
        writeStandardError("payments emulate: \(stop == SIGINT ? "SIGINT" : "SIGTERM"), stopping \(function.name)\n")
        await emulator.stop()
    }
}

/// Waits for the first of some signals.
///
/// A handler writes the signal's number to a pipe (the self-pipe trick; `write` is async-signal-safe)
/// and a thread reads it, so the signal is caught whichever thread the kernel delivers it to. (A
/// DispatchSource on Linux reads a signalfd, which only sees a signal no thread takes first, and an
/// ignored disposition would drop it there.)
enum StopSignal {
    nonisolated(unsafe) private static var pipeWriteEnd: Int32 = -1

    static func wait(for signals: [Int32]) async -> Int32 {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return signals[0] }
        pipeWriteEnd = ends[1]
        for number in signals {
            signal(number) { received in
                var byte = UInt8(truncatingIfNeeded: received)
                _ = write(StopSignal.pipeWriteEnd, &byte, 1)
            }
        }
        let readEnd = ends[0]
        return await withCheckedContinuation { continuation in
            let reader = Thread {
                var byte: UInt8 = 0
                while read(readEnd, &byte, 1) != 1 {}
                continuation.resume(returning: Int32(byte))
            }
            reader.name = "payments-emulate-signals"
            reader.start()
        }
    }
}
