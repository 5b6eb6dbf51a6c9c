import Platform
import PaymentsCore
import CurlHTTP

/// The local tooling's HTTPS client: libcurl, retrying idempotent calls, as the functions use it.
public enum ToolingHTTP {
    /// The tooling reads whole DynamoDB Scan and GetRecords pages (up to 1 MB of data each, more as
    /// JSON), which the functions' 1 MiB answer limit could cut off.
    public static let maximumResponseBytes = 16 << 20

    public static func client(clock: any WallClock) -> any HTTPClient {
        RetryingHTTPClient(base: CurlHTTPClient(maximumResponseBytes: maximumResponseBytes), clock: clock)
    }
}
