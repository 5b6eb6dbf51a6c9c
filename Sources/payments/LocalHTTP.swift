import PaymentsCore
import PaymentsHTTP

/// The CLI's HTTPS client: libcurl, retrying idempotent calls, as the functions use it.
enum LocalHTTP {
    static func client(clock: any WallClock) -> any HTTPClient {
        RetryingHTTPClient(base: CurlHTTPClient(), clock: clock)
    }
}
