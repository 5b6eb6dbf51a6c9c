#if canImport(Glibc)
import Glibc
#endif
import PaymentsCore

/// Plain HTTP/1.1 over one kept-alive TCP connection to one `host:port`: how a function talks to the
/// Lambda Runtime API on loopback. No TLS and no libcurl, so a function that needs no HTTPS (a
/// webhook on SQLite) never loads libcurl at all. Not for the internet: no redirects, no proxies.
public final class LoopbackHTTPClient: HTTPClient, @unchecked Sendable {
    /// `host:port`, as `AWS_LAMBDA_RUNTIME_API` gives it.
    public let address: String
    // Confined to the runtime loop's thread: one request at a time, as the Runtime API is used.
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []

    public init(address: String) {
        self.address = address
    }

    deinit { disconnect() }

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let target = try Self.pathAndQuery(of: request.url)
        var head = "\(request.method.uppercased()) \(target) HTTP/1.1\r\nHost: \(address)\r\n"
        for header in request.headers { head += "\(header.name): \(header.value)\r\n" }
        head += "Content-Length: \(request.body.count)\r\n\r\n"
        let message = Array(head.utf8) + request.body
        // A kept-alive connection the server has closed meanwhile shows up as a failed write or an
        // empty read before any answer: then the request goes once more on a new connection. The
        // server had not read it, so sending it again cannot answer an invocation twice.
        for attempt in 1...2 {
            if socket < 0 { try connect() }
            do {
                try write(message)
                return try readResponse(timeout: request.timeout)
            } catch let closed as ConnectionClosed where attempt == 1 && closed.beforeAnswer {
                disconnect()
            } catch {
                disconnect()
                throw error
            }
        }
        throw HTTPTransportError("\(request.method) \(target): the Runtime API closed the connection")
    }

    struct ConnectionClosed: Error { var beforeAnswer: Bool }

    static func pathAndQuery(of url: String) throws(HTTPTransportError) -> String {
        guard url.hasPrefix("http://"), let slash = url.dropFirst("http://".count).firstIndex(of: "/") else {
            throw HTTPTransportError("the loopback client takes http://host:port/path URLs only")
        }
        return String(url[slash...])
    }

    private func connect() throws {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw HTTPTransportError("AWS_LAMBDA_RUNTIME_API must be host:port")
        }
        let host = String(address[..<colon])
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw HTTPTransportError("cannot resolve the Runtime API host")
        }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let fd = Glibc.socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                    var one: Int32 = 1
                    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    socket = fd
                    buffer.removeAll(keepingCapacity: true)
                    return
                }
                close(fd)
            }
            entry = info.pointee.ai_next
        }
        throw HTTPTransportError("cannot connect to the Runtime API at \(address)")
    }

    private func disconnect() {
        if socket >= 0 { close(socket) }
        socket = -1
        buffer.removeAll(keepingCapacity: true)
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { throw ConnectionClosed(beforeAnswer: true) }
            sent += result
        }
    }

    /// Reads more bytes into the buffer; false at the end of the stream.
    private func fill(timeout: Double?) throws -> Bool {
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let milliseconds = timeout.map { Int32(max(1, $0 * 1000)) } ?? -1
        while true {
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { throw HTTPTransportError("the Runtime API did not answer in time") }
            break
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw HTTPTransportError("reading from the Runtime API failed") }
            if count == 0 { return false }
            buffer.append(contentsOf: chunk[..<count])
            return true
        }
    }

    private func readResponse(timeout: Double?) throws -> HTTPResponse {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = Self.find([13, 10, 13, 10], in: buffer)
            if headEnd == nil, try !fill(timeout: timeout) { throw ConnectionClosed(beforeAnswer: buffer.isEmpty) }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).makeIterator()
        let statusLine = lines.next() ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw HTTPTransportError("the Runtime API answered something that is not HTTP/1.1")
        }
        var headers: [String: String] = [:]
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        let body: [UInt8]
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try readChunked(timeout: timeout)
        } else if let length = headers["content-length"].flatMap({ Int(Self.trimmed($0)) }) {
            while buffer.count < length {
                guard try fill(timeout: timeout) else { throw HTTPTransportError("the Runtime API closed the connection mid-answer") }
            }
            body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else {
            while try fill(timeout: timeout) {}
            body = buffer
            buffer.removeAll()
            disconnect()
        }
        if headers["connection"]?.lowercased() == "close" { disconnect() }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    private func readChunked(timeout: Double?) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            var lineEnd = Self.find([13, 10], in: buffer)
            while lineEnd == nil {
                guard try fill(timeout: timeout) else { throw HTTPTransportError("the Runtime API closed the connection mid-answer") }
                lineEnd = Self.find([13, 10], in: buffer)
            }
            let sizeText = String(decoding: buffer[..<lineEnd!], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(Self.trimmed(sizeText), radix: 16) else { throw HTTPTransportError("a malformed chunk from the Runtime API") }
            buffer.removeFirst(lineEnd! + 2)
            while buffer.count < size + 2 {
                guard try fill(timeout: timeout) else { throw HTTPTransportError("the Runtime API closed the connection mid-answer") }
            }
            if size == 0 {
                // Trailers are not used by the Runtime API; the empty line ends the message.
                buffer.removeFirst(2)
                return body
            }
            body += buffer[..<size]
            buffer.removeFirst(size + 2)
        }
    }

    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    static func find(_ pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return start }
        }
        return nil
    }
}
