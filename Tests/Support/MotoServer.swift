import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A moto AWS emulator (`moto_server`) on a free loopback port, for tests that need real DynamoDB,
/// DynamoDB Streams, EventBridge and SQS behaviour. Started directly (no shell), so the process held
/// is the server itself, and stopped by `stop()`, on deinit, and (for the shared one) at exit, so a
/// failing test never leaves one behind.
///
/// When moto is not installed this throws, and the test using it fails: run `bash scripts/setup.sh`.
public final class MotoServer: @unchecked Sendable {
    public let port: Int
    public let logPath: String
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// One server for the whole test process, started on first use. Tests keep apart by naming their
    /// own tables, buses and queues.
    public static func shared() throws -> MotoServer { try sharedServer.get() }

    private static let sharedServer: Result<MotoServer, StartError> = {
        let result = Result<MotoServer, Error> { try MotoServer() }.mapError { $0 as? StartError ?? StartError(description: "\($0)") }
        if case .success = result {
            atexit { if case .success(let server) = MotoServer.sharedServer { server.stop() } }
        }
        return result
    }()

    /// Starts a server of its own, with `environment` added to this process's (e.g.
    /// `INITIAL_NO_AUTH_ACTION_COUNT=0` to have signatures checked).
    public init(environment: [String: String] = [:], startTimeout: Double = 10) throws {
        let executable = try Self.locate()
        port = try Self.freePort()
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(port)-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)

        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log ?? FileHandle.nullDevice
        process.standardError = log ?? FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw StartError(description: "could not start \(executable): \(error)")
        }

        let giveUp = Date().addingTimeInterval(startTimeout)
        while !Self.answers(port: port) {
            guard process.isRunning else {
                throw StartError(description: "moto_server exited with status \(process.terminationStatus) before answering; log: \(logTail())")
            }
            guard Date() < giveUp else {
                stop()
                throw StartError(description: "moto_server did not answer on port \(port) within \(Int(startTimeout)) s; log: \(logTail())")
            }
            usleep(50_000)
        }
    }

    deinit { stop() }

    /// SIGTERM, then waits (moto takes about 2 s to exit); SIGKILL if it is still there after 5 s.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        process.stop(grace: 5)
    }

    public func logTail(_ characters: Int = 2000) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return String(text.suffix(characters))
    }

    // MARK: Finding and reaching it

    /// `.venv/bin/moto_server` of this package (what scripts/setup.sh makes), else the first on PATH.
    public static func locate(
        packageRoot root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent(),
        path: String = ProcessInfo.processInfo.environment["PATH"] ?? ""
    ) throws -> String {
        var candidates = [root.appendingPathComponent(".venv/bin/moto_server").path]
        for directory in path.split(separator: ":") {
            candidates.append(String(directory) + "/moto_server")
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw StartError(description: "moto_server was not found in \(root.path)/.venv/bin or on PATH: run `bash scripts/setup.sh` (it installs moto[server] into .venv)")
        }
        return found
    }

    /// A port the kernel just handed out and released: free unless something grabs it in the next moment.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket() failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw StartError(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            _ = $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True once an HTTP request to the port gets an HTTP answer (not just a connection).
    public static func answers(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        let request = Array("GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 16)
        let received = recv(fd, &buffer, buffer.count, 0)
        return received >= 5 && Array(buffer[0..<5]) == Array("HTTP/".utf8)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
