#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended, worded as Lambda words it (`Runtime exited with error: exit status 1`,
/// `... signal: killed`: Go's wording, which Lambda's runtime manager uses).
package struct ProcessExit: Sendable, Equatable, CustomStringConvertible {
    /// The exit code, when the process exited by itself.
    public var code: Int32?
    /// The signal that ended it, when one did.
    public var signal: Int32?

    public init(code: Int32? = nil, signal: Int32? = nil) {
        self.code = code
        self.signal = signal
    }

    /// Decodes a `waitpid` status (the WIFEXITED/WTERMSIG macros are not imported into Swift).
    init(waitStatus: Int32) {
        if waitStatus & 0x7f == 0 {
            self.init(code: (waitStatus >> 8) & 0xff)
        } else {
            self.init(signal: waitStatus & 0x7f)
        }
    }

    public var description: String {
        if let signal {
            let name = strsignal(signal).map { String(cString: $0).lowercased() } ?? "signal \(signal)"
            return "signal: \(name)"
        }
        return "exit status \(code ?? -1)"
    }
}
