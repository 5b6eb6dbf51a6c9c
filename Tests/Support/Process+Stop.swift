import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// SIGTERM, then SIGKILL if the process is still there after `grace` seconds (a server slow to exit,
    /// or one whose SIGTERM is blocked in a child of the test runner); returns once it has exited.
    func stop(grace: Double) {
        guard isRunning else { return }
        terminate()
        let giveUp = Date().addingTimeInterval(grace)
        while isRunning, Date() < giveUp { usleep(20_000) }
        if isRunning { kill(processIdentifier, SIGKILL) }
        waitUntilExit()
    }
}
