import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An HTTPS server on 127.0.0.1 whose certificate is self-signed (made by `openssl req -x509` in a
/// temporary folder): what a client that verifies TLS must refuse. Python's `http.server` behind
/// `ssl`, started directly (no shell) on a free port and stopped by `stop()` and on deinit, so a failing
/// test leaves nothing behind. Counts the requests that got through a handshake.
public final class SelfSignedHTTPSServer: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let output: Pipe
    private let directory: URL
    private let lock = NSLock()
    private var stopped = false

    public var baseURL: String { "https://127.0.0.1:\(port)" }

    static let script = """
        import http.server, ssl, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                sys.stdout.write("request\\n"); sys.stdout.flush()
                body = b'{"ok":true}'
                self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
            do_POST = do_GET
            def log_message(self, *args): pass
        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        sys.stdout.write("port %d\\n" % server.server_address[1]); sys.stdout.flush()
        server.serve_forever()
        """

    public init(startTimeout: Double = 15) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("self-signed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        try Self.run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                                      "-keyout", key, "-out", certificate])
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, certificate, key]
        output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Our copy of the write end would keep the pipe open after the server exits.
        try? output.fileHandleForWriting.close()
        guard let line = Self.readLine(output.fileHandleForReading, timeout: startTimeout), line.hasPrefix("port "),
              let port = Int(line.dropFirst("port ".count))
        else {
            self.port = 0
            stop()
            throw ServerError("the self-signed HTTPS server did not start")
        }
        self.port = port
    }

    deinit { stop() }

    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        // SIGTERM may be blocked in a child of the test runner: SIGKILL if it is still there after 2 s.
        process.stop(grace: 2)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Requests the server answered (each got through the TLS handshake); read after `stop()`.
    public func requestsServed() -> Int {
        stop()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").filter { $0 == "request" }.count
    }

    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ServerError("\(arguments.first ?? executable) failed") }
    }

    /// One line of `handle`, byte by byte (so nothing after it is consumed), or nil after `timeout`.
    static func readLine(_ handle: FileHandle, timeout: Double) -> String? {
        let fd = handle.fileDescriptor
        var bytes: [UInt8] = []
        let giveUp = Date().addingTimeInterval(timeout)
        while Date() < giveUp {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) >= 0 else { return nil }
            guard poller.revents != 0 else { continue }
            var byte: UInt8 = 0
            guard read(fd, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }
}
