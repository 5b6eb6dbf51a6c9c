import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A function's process: started with `posix_spawn` in a process group of its own, its output read
/// line by line, its end reported once.
///
/// Why not `Foundation.Process`: it cannot put the child in its own group nor arrange for it to die
/// with the emulator. Here:
/// - the child leads its own process group, so a kill reaches whatever it started too, and a Ctrl-C
///   at the terminal reaches only the emulator, which then stops its children in order;
/// - it runs under `setpriv --pdeathsig KILL` (util-linux) when that exists, so if the emulator is
///   killed outright (SIGKILL, a crash) the kernel kills the child as well: no orphans;
/// - signal dispositions and mask are reset, so a child never inherits an ignored SIGPIPE or SIGINT.
final class ChildProcess: Sendable {
    enum Stream: Sendable { case stdout, stderr }

    struct SpawnError: Error, CustomStringConvertible {
        var executable: String
        var errno: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(errno)))" }
    }

    let pid: pid_t

    private init(pid: pid_t) { self.pid = pid }

    /// The parent-death wrapper, if the machine has it.
    static let deathSignalWrapper: String? = ["/usr/bin/setpriv", "/bin/setpriv"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Starts `executable` (a path, or a name looked up on the child's `PATH`).
    /// `onLine` gets each line of output; `onExit` is called once, after the output is read to its end.
    static func spawn(
        executable: String,
        arguments: [String],
        environment: [String: String],
        onLine: @escaping @Sendable (Stream, String) -> Void,
        onExit: @escaping @Sendable (ProcessExit) -> Void
    ) throws(SpawnError) -> ChildProcess {
        var argv = [executable] + arguments
        if let wrapper = deathSignalWrapper {
            argv = [wrapper, "--pdeathsig", "KILL", "--"] + argv
        }
        let envp = environment.map { "\($0.key)=\($0.value)" }
        let spawned: Result<(pid_t, Int32, Int32), SpawnError> = SpawnerThread.shared.run {
            spawnOnThisThread(argv: argv, envp: envp, displayName: executable, searchPath: environment["PATH"])
        }
        let (pid, stdoutFD, stderrFD) = try spawned.get()
        let child = ChildProcess(pid: pid)

        // Two readers and a reaper: the exit is reported after both streams hit end of file, so the
        // last lines a crashing process wrote are logged before its crash is.
        let group = DispatchGroup()
        for (fd, stream) in [(stdoutFD, Stream.stdout), (stderrFD, Stream.stderr)] {
            group.enter()
            let reader = Thread {
                readLines(fd: fd) { onLine(stream, $0) }
                group.leave()
            }
            reader.name = "localcloud-output-\(pid)"
            reader.start()
        }
        let reaper = Thread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let exit = ProcessExit(waitStatus: status)
            // A child that left descendants holding the pipes must not delay the report for ever.
            _ = group.wait(timeout: .now() + 2)
            onExit(exit)
        }
        reaper.name = "localcloud-reaper-\(pid)"
        reaper.start()
        return child
    }

    /// Sends `signal` to the child's whole process group.
    func kill(_ signal: Int32 = SIGKILL) {
        _ = Glibc.kill(-pid, signal)
        _ = Glibc.kill(pid, signal)
    }

    private static func spawnOnThisThread(
        argv: [String], envp: [String], displayName: String, searchPath: String?
    ) -> Result<(pid_t, Int32, Int32), SpawnError> {
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        // Close-on-exec: a child started later must not inherit these ends (it would hold the pipe
        // open and this child's output would never reach end of file). pipe2 is not imported into
        // Swift; pipe + fcntl is race-free here because every spawn runs on this one thread.
        guard pipe(&stdoutPipe) == 0 else { return .failure(SpawnError(executable: displayName, errno: errno)) }
        guard pipe(&stderrPipe) == 0 else {
            close(stdoutPipe[0]); close(stdoutPipe[1])
            return .failure(SpawnError(executable: displayName, errno: errno))
        }
        for fd in stdoutPipe + stderrPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // posix_spawnp searches the emulator's PATH, not the child's: resolve on the child's PATH here.
        let program = resolve(argv[0], path: searchPath)
        var pid: pid_t = 0
        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnvp = envp.map { strdup($0) } + [nil]
        let result = posix_spawn(&pid, program, &actions, &attributes, cArgv, cEnvp)
        cArgv.forEach { free($0) }
        cEnvp.forEach { free($0) }
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard result == 0 else {
            close(stdoutPipe[0]); close(stderrPipe[0])
            return .failure(SpawnError(executable: displayName, errno: result))
        }
        return .success((pid, stdoutPipe[0], stderrPipe[0]))
    }

    private static func resolve(_ program: String, path: String?) -> String {
        if program.contains("/") { return program }
        for folder in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return program
    }

    /// Reads `fd` to its end, calling `line` for each line (a last unterminated line included).
    private static func readLines(fd: Int32, line: (String) -> Void) {
        defer { close(fd) }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                line(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }
        if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
    }
}
