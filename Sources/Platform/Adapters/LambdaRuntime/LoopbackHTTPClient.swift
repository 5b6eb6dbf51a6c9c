#if canImport(Glibc)
import Glibc
#endif
import Platform

/// Plain HTTP/1.1 over one kept-alive TCP connection to one `host:port`: how a function talks to the
/// Lambda Runtime API on loopback. No TLS and no libcurl, so a function that needs no HTTPS (a
/// webhook on SQLite) never loads libcurl at all. Not for the internet: no redirects, no proxies.
public final class LoopbackHTTPClient: HTTPClient, @unchecked Sendable {
    /// `host:port`, as `AWS_LAMBDA_RUNTIME_API` gives it.
    public let address: String
    // Confined to the runtime loop's thread: one request at a time, as the Runtime API is used.
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []
    /// Where `recv` writes, allocated once: a fresh zeroed 64 KB array per read was a memset per answer.
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

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
        let (status, headers) = try Self.parseHead(buffer[..<headEnd!])
        buffer.removeFirst(headEnd! + 4)
        let body: [UInt8]
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try readChunked(timeout: timeout)
        } else if let length = headers["content-length"].flatMap({ Int($0.trimmingASCII(\.isSpaceOrTab)) }) {
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

    /// The status and headers (names lowercased, repeats joined with ", ") of a response head without
    /// its final CRLF CRLF, read as bytes: splitting it as Characters cost more than the round trip.
    static func parseHead(_ head: ArraySlice<UInt8>) throws(HTTPTransportError) -> (status: Int, headers: [String: String]) {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = head.startIndex
        var index = head.startIndex
        while index + 1 < head.endIndex {
            if head[index] == 13, head[index + 1] == 10 {
                lines.append(head[lineStart..<index])
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        lines.append(head[lineStart...])
        let statusLine = lines.first ?? []
        let parts = statusLine.split(separator: UInt8(ascii: " "), maxSplits: 2)
        guard parts.count >= 2, parts[0].starts(with: "HTTP/1.".utf8),
              let status = Int(String(decoding: parts[1], as: UTF8.self)) else {
            throw HTTPTransportError("the Runtime API answered something that is not HTTP/1.1")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }, as: UTF8.self)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        return (status, headers)
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
            guard let size = Int(sizeText.trimmingASCII(\.isSpaceOrTab), radix: 16) else { throw HTTPTransportError("a malformed chunk from the Runtime API") }
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

    static func find(_ pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return start }
        }
        return nil
    }
}
