#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import XCTest
@testable import LocalCloud

/// An invoker that records what it was asked and answers with a closure.
final class RecordingInvoker: FunctionInvoker {
    let calls = Mutex<[(function: String, request: InvokeRequest)]>([])
    let answer: @Sendable (String, InvokeRequest) async -> InvokeResult

    init(answer: @escaping @Sendable (String, InvokeRequest) async -> InvokeResult) {
        self.answer = answer
    }

    func invoke(function: String, _ request: InvokeRequest) async -> InvokeResult {
        calls.withLock { $0.append((function, request)) }
        return await answer(function, request)
    }

    var recorded: [(function: String, request: InvokeRequest)] { calls.withLock { $0 } }
}

/// Collects the gateway's log lines.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var sink: @Sendable (String) -> Void { { line in self.lines.withLock { $0.append(line) } } }
    var all: [String] { lines.withLock { $0 } }
}

/// Starts the gateway on a free loopback port, runs `body`, and stops the gateway whatever happens.
func withGateway(_ gateway: LocalGateway, _ body: (Int) async throws -> Void) async throws {
    let port = try await gateway.start(port: 0)
    do {
        try await body(port)
    } catch {
        await gateway.stop()
        throw error
    }
    await gateway.stop()
}

/// A raw HTTP/1.1 exchange over a socket: the request bytes exactly as given, the answer read to
/// the end (the request says `Connection: close`).
struct RawHTTPResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func values(of name: String) -> [String] { headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }
    var text: String { String(decoding: body, as: UTF8.self) }
}

enum RawHTTP {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Sends `method target` with `headers` and `body`; adds Host, Content-Length and Connection: close.
    /// The blocking exchange runs on a thread of its own, so that it never holds one of the few
    /// threads the server's and the functions' tasks run on.
    static func send(port: Int, method: String, target: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws -> RawHTTPResponse {
        try await onThread { try sendBlocking(port: port, method: method, target: target, headers: headers, body: body) }
    }

    static func exchange(port: Int, bytes: [UInt8]) async throws -> RawHTTPResponse {
        try await onThread { try exchangeBlocking(port: port, bytes: bytes) }
    }

    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    static func sendBlocking(port: Int, method: String, target: String, headers: [(String, String)], body: [UInt8]) throws -> RawHTTPResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return try exchangeBlocking(port: port, bytes: Array(head.utf8) + body)
    }

    static func exchangeBlocking(port: Int, bytes: [UInt8]) throws -> RawHTTPResponse {
        let fd = try connectLoopback(port: port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { break }   // the server may answer (413) and close before reading everything
            offset += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return try parse(received)
    }

    static func connectLoopback(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
        return fd
    }

    static func parse(_ bytes: [UInt8]) throws -> RawHTTPResponse {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = (0...(max(0, bytes.count - 4))).first(where: { bytes.count >= 4 && Array(bytes[$0..<$0 + 4]) == separator }) else {
            throw Failure(description: "no complete response head in \(bytes.count) bytes")
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure(description: "bad status line \(lines[0])") }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(bytes[(end + 4)...])
        if headers.contains(where: { $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased() == "chunked" }) {
            body = try dechunk(body)
        }
        return RawHTTPResponse(status: status, headers: headers, body: body)
    }

    static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                  let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16) else {
                throw Failure(description: "bad chunk")
            }
            if size == 0 { break }
            result += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
            index = lineEnd + 2 + size + 2
        }
        return result
    }
}
