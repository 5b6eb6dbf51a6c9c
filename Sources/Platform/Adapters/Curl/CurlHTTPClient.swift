import CCurl
import Platform
import Synchronization

/// `HTTPClient` on libcurl's easy interface. One handle is kept and reused, so consecutive requests
/// to the same host (a provider, DynamoDB) reuse the connection. libcurl is loaded with the first
/// request, not when the client is made: a function that never calls out never maps it.
///
/// Every request is checked first (`OutboundHTTPPolicy`: https, or http to loopback; no CR, LF or NUL
/// in a header), and every transfer verifies the peer's certificate and host name, speaks only http
/// and https, follows no redirect, and stops at `maximumResponseBytes` of body: a refusal is an
/// `OutboundHTTPRefusal`, which is not retried.
public final class CurlHTTPClient: HTTPClient, Sendable {
    private let handle: Mutex<EasyHandle>
    public let connectTimeout: Double
    public let maximumResponseBytes: Int

    /// 1 MiB: a provider's answer is a few kilobytes, a DynamoDB page at most 1 MB of data.
    public static let defaultMaximumResponseBytes = 1 << 20

    public init(connectTimeout: Double = 5, maximumResponseBytes: Int = defaultMaximumResponseBytes) {
        self.connectTimeout = connectTimeout
        self.maximumResponseBytes = maximumResponseBytes
        handle = Mutex(EasyHandle())
    }

    /// Loads libcurl now (and runs `curl_global_init`), for a function whose first invocation will
    /// certainly call out over HTTPS: the cost moves from the first request to the init phase.
    @discardableResult
    public static func preload() -> Bool { ccurl_load() == 1 }

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        // Before libcurl is even loaded: a refused request opens no connection.
        if let reason = OutboundHTTPPolicy.refusal(of: request) {
            throw OutboundHTTPRefusal("\(request.method.uppercased()) \(EasyHandle.redacted(request.url)) refused: \(reason)")
        }
        return try handle.withLock { easy in
            try easy.perform(request, connectTimeout: connectTimeout, maximumBodyBytes: maximumResponseBytes)
        }
    }
}

/// A curl easy handle and what one transfer collects. Confined to the client's lock.
final class EasyHandle: @unchecked Sendable {
    private var curl: UnsafeMutableRawPointer?
    fileprivate var body: [UInt8] = []
    fileprivate var headers: [String: String] = [:]
    fileprivate var maximumBodyBytes = Int.max
    /// Set when the body (or its announced length) passed `maximumBodyBytes` and the transfer was stopped.
    fileprivate var bodyTooLarge = false

    init() {}
    deinit { ccurl_easy_cleanup(curl) }

    func perform(_ request: HTTPRequest, connectTimeout: Double, maximumBodyBytes: Int) throws -> HTTPResponse {
        if curl == nil { curl = ccurl_easy_init() }
        guard let curl else {
            let reason = ccurl_load_error().map { String(cString: $0) } ?? "curl_easy_init failed"
            throw HTTPTransportError("libcurl is not usable: \(reason)")
        }
        ccurl_easy_reset(curl)
        body = []
        headers = [:]
        // A HEAD answer announces the length of a body it does not send.
        self.maximumBodyBytes = request.method.uppercased() == "HEAD" ? Int.max : maximumBodyBytes
        bodyTooLarge = false
        let safety = ccurl_setopt_safety(curl)
        guard safety == CURLE_OK else {
            throw OutboundHTTPRefusal("libcurl refused the TLS and protocol settings: \(String(cString: ccurl_easy_strerror(safety)))")
        }

        var list: UnsafeMutablePointer<curl_slist>?
        for header in request.headers { list = ccurl_slist_append(list, "\(header.name): \(header.value)") }
        // curl would otherwise wait for "100 Continue" before sending larger bodies.
        list = ccurl_slist_append(list, "Expect:")
        defer { ccurl_slist_free_all(list) }

        ccurl_setopt_pointer(curl, CURLOPT_URL, request.url)
        ccurl_setopt_long(curl, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
        ccurl_setopt_long(curl, CURLOPT_TIMEOUT_MS, request.timeout.map { Int($0 * 1000) } ?? 0)
        ccurl_setopt_pointer(curl, CURLOPT_HTTPHEADER, list)

        let context = Unmanaged.passUnretained(self).toOpaque()
        ccurl_setopt_write_function(curl) { data, size, count, context in
            let handle = Unmanaged<EasyHandle>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            guard handle.body.count + length <= handle.maximumBodyBytes else {
                handle.bodyTooLarge = true
                return 0  // anything but `length` makes libcurl stop the transfer (CURLE_WRITE_ERROR)
            }
            if let data { handle.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length)) }
            return length
        }
        ccurl_setopt_pointer(curl, CURLOPT_WRITEDATA, context)
        ccurl_setopt_header_function(curl) { data, size, count, context in
            let handle = Unmanaged<EasyHandle>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let data { handle.takeHeaderLine(UnsafeRawBufferPointer(start: data, count: length)) }
            // An announced length over the limit stops the transfer before any of the body is read.
            if handle.bodyTooLarge { return 0 }
            return length
        }
        ccurl_setopt_pointer(curl, CURLOPT_HEADERDATA, context)

        let method = request.method.uppercased()
        let code: CURLcode = request.body.withUnsafeBytes { bytes in
            switch method {
            case "GET" where request.body.isEmpty:
                ccurl_setopt_long(curl, CURLOPT_HTTPGET, 1)
            case "HEAD":
                ccurl_setopt_long(curl, CURLOPT_NOBODY, 1)
            default:
                ccurl_setopt_long(curl, CURLOPT_POST, 1)
                ccurl_setopt_long(curl, CURLOPT_POSTFIELDSIZE, bytes.count)
                ccurl_setopt_pointer(curl, CURLOPT_POSTFIELDS, bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start))
                if method != "POST" { ccurl_setopt_pointer(curl, CURLOPT_CUSTOMREQUEST, method) }
            }
            return ccurl_easy_perform(curl)
        }
        if bodyTooLarge {
            body = []
            throw OutboundHTTPRefusal("\(method) \(Self.redacted(request.url)) answered more than \(maximumBodyBytes) bytes: refused")
        }
        guard code == CURLE_OK else {
            throw HTTPTransportError("\(method) \(Self.redacted(request.url)) failed: \(String(cString: ccurl_easy_strerror(code)))")
        }
        var status = 0
        ccurl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    fileprivate func takeHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after 100 Continue or a redirect) starts its own headers
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingASCII(\.isASCIIWhitespace)
        if name == "content-length", let length = Int(value), length > maximumBodyBytes { bodyTooLarge = true }
        if let existing = headers[name] { headers[name] = existing + ", " + value } else { headers[name] = value }
    }

    /// Scheme, host and path only: a query string could carry something that must not be logged.
    static func redacted(_ url: String) -> String {
        String(url.prefix { $0 != "?" })
    }
}
