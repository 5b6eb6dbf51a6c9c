#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
import Synchronization

/// OAuth 2.0 client-credentials tokens (https://developer.paypal.com/api/rest/authentication/),
/// fetched once and reused until shortly before they expire.
///
/// A reference type on purpose: the gateway and the webhook authenticator are values copied into
/// each handler, but a warm function must share one cache across invocations, so every copy holds
/// the same instance. The lock is held only to read or replace the cached token, never during the
/// HTTP call (two callers racing on an empty cache both fetch; the later answer wins, harmlessly).
public final class PayPalAccessTokens: Sendable {
    public let apiBase: String
    let clientID: String
    let clientSecret: String
    let client: any HTTPClient
    let clock: any WallClock
    /// A token is refreshed this many seconds before PayPal says it expires.
    public let refreshMargin: Double
    private let cached = Mutex<Token?>(nil)

    struct Token: Sendable {
        var value: String
        var expiresAt: Double
    }

    public init(clientID: String, clientSecret: String, apiBase: String, client: any HTTPClient, clock: any WallClock, refreshMargin: Double = 120) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        self.client = client
        self.clock = clock
        self.refreshMargin = refreshMargin
    }

    /// A valid bearer token, from the cache or freshly fetched.
    public func token() throws(GatewayError) -> String {
        let now = clock.now().timeIntervalSince1970
        if let token = cached.withLock({ $0 }), now < token.expiresAt - refreshMargin {
            return token.value
        }
        let fresh = try fetch(now: now)
        cached.withLock { $0 = fresh }
        return fresh.value
    }

    /// Forgets `token` after PayPal refused it (401): revoked or expired early. A newer token stays.
    package func invalidate(_ token: String) {
        cached.withLock { cachedToken in
            if cachedToken?.value == token { cachedToken = nil }
        }
    }

    func fetch(now: Double) throws(GatewayError) -> Token {
        let credentials = Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
        let request = HTTPRequest(
            method: "POST", url: "\(apiBase)/v1/oauth2/token",
            headers: [
                ("Authorization", "Basic \(credentials)"),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
            ],
            body: Array("grant_type=client_credentials".utf8),
            timeout: 10,
            isIdempotent: true  // asking for a token twice only yields two tokens
        )
        let response: HTTPResponse
        do {
            response = try client.send(request)
        } catch {
            throw .unavailable("PayPal token request failed: \(error)")
        }
        switch response.status {
        case 200...299: break
        case 429, 500...599: throw .unavailable("PayPal answered \(response.status) to the token request")
        default: throw .misconfigured("PayPal answered \(response.status) to the token request: check PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET")
        }
        struct Answer: Decodable { var access_token: String; var expires_in: Int? }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body)), !answer.access_token.isEmpty else {
            throw .unavailable("PayPal's token answer has no access_token")
        }
        // PayPal's tokens live about 9 hours; without expires_in the token is used for this call only.
        return Token(value: answer.access_token, expiresAt: now + Double(max(0, answer.expires_in ?? 0)))
    }

    /// Sends a request with a bearer token; on 401 the token is dropped and the request sent once more with a new one.
    func send(_ make: (String) -> HTTPRequest) throws(GatewayError) -> HTTPResponse {
        var response = HTTPResponse(status: 0)
        for attempt in 1...2 {
            let token = try token()
            do {
                response = try client.send(make(token))
            } catch {
                throw .unavailable("PayPal could not be reached: \(error)")
            }
            guard response.status == 401 else { return response }
            invalidate(token)
            if attempt == 2 { break }
        }
        return response
    }
}
