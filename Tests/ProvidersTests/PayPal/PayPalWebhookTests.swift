import Foundation
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
@testable import PayPalProvider
import Testing

@Suite struct PayPalSignatureTests {
    // MARK: CRC-32 and the signed string

    @Test func crc32KnownVectors() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 3_421_780_262)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(CRC32.checksum([0]) == 0xD202_EF8D)
    }

    @Test func signedStringMatchesTheReferenceScriptForEveryFixture() throws {
        let manifest = try PayPalFixtures.manifest()
        let events = try #require(manifest["events"] as? [[String: Any]])
        #expect(events.count == 8)
        for entry in events {
            let file = try #require(entry["file"] as? String)
            let request = try PayPalFixtures.delivery(String(file.dropLast(5)))
            let body = try #require(request.rawBody())
            #expect(Int(CRC32.checksum(body)) == entry["crc32"] as? Int, "\(file)")
            let transmission = try PayPalTransmission(WebhookDelivery(body: body, request: request, receivedAt: 0))
            #expect(String(decoding: transmission.signedString(webhookID: PayPalFixtures.webhookID, body: body), as: UTF8.self) == entry["signedString"] as? String)
        }
    }

    @Test func transmissionTimesParse() {
        #expect(PayPalTransmission.parseTime("2025-11-24T16:00:01Z") == 1_764_000_001)
        #expect(PayPalTransmission.parseTime("2025-11-24T16:00:01.500Z") == 1_764_000_001.5)
        #expect(PayPalTransmission.parseTime("2025-11-24T17:00:01+01:00") == 1_764_000_001)
        #expect(PayPalTransmission.parseTime("1970-01-01T00:00:00Z") == 0)
        #expect(PayPalTransmission.parseTime("2024-02-29T00:00:00Z") == 1_709_164_800)
        for bad in ["", "yesterday", "2025-11-24 16:00:01Z", "2025-13-24T16:00:01Z", "2025-11-24T16:00:01", "2025-11-24T16:00:01.Z", "2025-11-24T16:00:01Zjunk"] {
            #expect(PayPalTransmission.parseTime(bad) == nil, "\(bad)")
        }
    }

    @Test func certificateURLMustBeOneOfPayPalsCertificateURLs() {
        for good in ["https://api.paypal.com/v1/notifications/certs/CERT-1", "https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-1",
                     "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-895abcbc",
                     "https://api-m.paypal.com/v1/notifications/certs/CERT-a_b.c", PayPalFixtures.certURL] {
            #expect(PayPalCertificateURL.isAllowed(good), "\(good)")
        }
        // Before issue 20 any path on any *.paypal.com host, in any case, was fetched: each spelling a
        // download and a cache entry of its own. Now only PayPal's certificate URLs, exactly.
        for bad in ["http://api.paypal.com/v1/notifications/certs/CERT-1", "https://evil.example/x", "https://api.paypal.com.evil.example/x",
                    "https://paypal.com.evil/x", "https://evilpaypal.com/x", "https://user@api.paypal.com/x", "https://api.paypal.com:8443/x",
                    "ftp://api.paypal.com/x", "https://.paypal.com/x", "https://paypal.com/x", "api.paypal.com/x", "",
                    "https://api.sandbox.paypal.com/x", "https://api-m.paypal.com/x", "https://messageverificationcerts.paypal.com/x",
                    "https://API.PAYPAL.COM/v1/notifications/certs/CERT-1", "https://messageverificationcerts.paypal.com/v1/notifications/certs/CERT-1",
                    "https://api.paypal.com/v1/notifications/certs/CERT-1?x=1", "https://api.paypal.com/v1/notifications/certs/CERT-1#x",
                    "https://api.paypal.com:443/v1/notifications/certs/CERT-1", "https://user:pw@api.paypal.com/v1/notifications/certs/CERT-1",
                    "https://api.paypal.com/v1/notifications/certs/", "https://api.paypal.com/v1/notifications/certs/a/b",
                    "https://api.paypal.com/v1/notifications/certs/../x", "https://api.paypal.com/v1/notifications/certs/..",
                    "https://api.paypal.com/v1/notifications/certs/CERT%2D1", "https://api.paypal.com/v1/notifications/certs/CERT 1",
                    "https://api.paypal.com//v1/notifications/certs/CERT-1", "https://api.paypal.com/V1/notifications/certs/CERT-1",
                    "https://api.paypal.com./v1/notifications/certs/CERT-1", "https://api-m.sandbox.sandbox.paypal.com/v1/notifications/certs/CERT-1",
                    "https://api.paypal.com/v1/notifications/certs/" + String(repeating: "a", count: 129),
                    "https://api.paypal.com\\@evil.example/v1/notifications/certs/CERT-1", "https://api.paypal.com/v1/notifications/certs/CERT-1\r\n"] {
            #expect(!PayPalCertificateURL.isAllowed(bad), "\(bad)")
        }
    }

    // MARK: Verification with the pinned fixture certificate (PAYPAL_WEBHOOK_CERT)

    func verify(_ request: APIGatewayV2Request, method: PayPalWebhookVerifier.Method? = nil, at time: Date = PayPalFixtures.baseTime) throws(WebhookError) {
        let verifier = PayPalWebhookVerifier(webhookID: PayPalFixtures.webhookID, method: try! method ?? .offline(PayPalFixtures.pinnedCertificates()))
        try verifier.verify(WebhookDelivery(body: request.rawBody() ?? [], request: request, receivedAt: time.timeIntervalSince1970))
    }

    @Test(arguments: PayPalFixtures.files)
    func everyFixtureSignedByTheScriptIsAccepted(file: String) throws {
        try verify(try PayPalFixtures.delivery(file))
        try verify(try PayPalFixtures.delivery(file).base64Encoded())
    }

    @Test func tamperedBodyIsRefused() throws {
        let request = try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")
        var tampered = request
        tampered.body = request.body?.replacingOccurrences(of: "20.00", with: "2000.00")
        #expect(throws: WebhookError.unverified("PAYPAL-TRANSMISSION-SIG does not match the body.")) { try verify(tampered) }
        #expect(throws: WebhookError.self) { try verify(request.tampered()) }
    }

    @Test func otherWebhookIDIsRefused() throws {
        let request = try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")
        let verifier = PayPalWebhookVerifier(webhookID: "WH-SOMEONE-ELSE", method: .offline(try PayPalFixtures.pinnedCertificates()))
        #expect(throws: WebhookError.self) {
            try verifier.verify(WebhookDelivery(body: request.rawBody()!, request: request, receivedAt: PayPalFixtures.baseTime.timeIntervalSince1970))
        }
    }

    @Test func wrongCertificateIsRefused() throws {
        // The CA's certificate holds another key than the one that signed.
        let method = PayPalWebhookVerifier.Method.offline(try PayPalCertificates(.pinned(pem: PayPalFixtures.pem("ca.pem"))))
        #expect(throws: WebhookError.unverified("PAYPAL-TRANSMISSION-SIG does not match the body.")) {
            try verify(try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED"), method: method)
        }
    }

    @Test func pinnedCertificateMustHoldACertificate() throws {
        #expect(throws: ConfigurationError.self) { try PayPalCertificates(.pinned(pem: "not a certificate")) }
        #expect(throws: ConfigurationError.self) { try PayPalCertificates(.pinned(pem: PayPalFixtures.pem("leaf-key.pem"))) }
    }

    @Test(arguments: ["PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-TIME", "PAYPAL-TRANSMISSION-SIG", "PAYPAL-CERT-URL", "PAYPAL-AUTH-ALGO"])
    func missingHeaderIsRefused(header: String) throws {
        let request = try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED").removingHeader(header)
        #expect(throws: WebhookError.unverified("The \(header) header is missing.")) { try verify(request) }
    }

    @Test func malformedHeadersAreRefused() throws {
        let request = try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")
        for (name, value) in [("PAYPAL-AUTH-ALGO", "SHA1withRSA"), ("PAYPAL-TRANSMISSION-SIG", "%%%"), ("PAYPAL-TRANSMISSION-TIME", "soon"),
                              ("PAYPAL-TRANSMISSION-ID", "a|b")] {
            #expect(throws: WebhookError.self, "\(name): \(value)") { try verify(request.settingHeader(name, value)) }
        }
    }

    @Test func transmissionOutsideTheReplayWindowIsRefused() throws {
        let request = try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")  // transmitted at base + 3 s
        try verify(request, at: PayPalFixtures.baseTime.addingTimeInterval(3 + 300))
        try verify(request, at: PayPalFixtures.baseTime.addingTimeInterval(3 - 300))
        let window = WebhookError.unverified("PAYPAL-TRANSMISSION-TIME is outside the 300 s tolerance.")
        #expect(throws: window) { try verify(request, at: PayPalFixtures.baseTime.addingTimeInterval(3 + 301)) }
        #expect(throws: window) { try verify(request, at: PayPalFixtures.baseTime.addingTimeInterval(3 - 301)) }
        #expect(throws: window) { try verify(request, at: PayPalFixtures.baseTime.addingTimeInterval(86_400)) }
    }

    @Test func nonPayPalCertificateURLIsRefusedWithoutFetching() throws {
        let fake = PayPalFakeHTTP()
        fake.on("GET", "/cert.pem", status: 200, json: try PayPalFixtures.pem("leaf.pem"))
        let roots = try PayPalFixtures.temporaryFile(PayPalFixtures.pem("ca.pem"))
        let method = PayPalWebhookVerifier.Method.offline(try PayPalCertificates(.downloaded(trustedRootsPath: roots, client: fake)))
        let success = try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")
        for url in ["https://evil.example/cert.pem", "http://api.paypal.com/cert.pem", "https://api.paypal.com.evil.example/cert.pem"] {
            let request = try PayPalFixtures.signed(success, body: success.body!, key: PayPalFixtures.leafKey(), certURL: url)
            #expect(throws: WebhookError.unverified("PAYPAL-CERT-URL is not an https URL on a PayPal host; it was not fetched.")) {
                try verify(request, method: method)
            }
        }
        #expect(fake.requests.isEmpty)
    }

    // MARK: The downloaded certificate and its chain

    @Test func downloadedCertificateChainingToTheTrustedRootIsAcceptedAndCached() throws {
        let fake = PayPalFakeHTTP()
        fake.on("GET", "/v1/notifications/certs/CERT-360caa42-fca2a594-895abcbc", status: 200, json: try PayPalFixtures.pem("leaf.pem"))
        let roots = try PayPalFixtures.temporaryFile(PayPalFixtures.pem("ca.pem"))
        let method = PayPalWebhookVerifier.Method.offline(try PayPalCertificates(.downloaded(trustedRootsPath: roots, client: fake)))
        for file in PayPalFixtures.files { try verify(try PayPalFixtures.delivery(file), method: method) }
        #expect(fake.requests.count == 1, "one download for the URL, then the cache")
        #expect(fake.requests.first?.url == PayPalFixtures.certURL)
        #expect(fake.requests.first?.method == "GET")
        // The cached certificate still protects the body.
        #expect(throws: WebhookError.self) { try verify(try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED").tampered(), method: method) }
    }

    @Test func downloadedCertificateFromAnUntrustedIssuerIsRefused() throws {
        let fake = PayPalFakeHTTP()
        fake.on("GET", "/v1/notifications/certs/CERT-360caa42-fca2a594-895abcbc", status: 200, json: try PayPalFixtures.pem("leaf.pem"))
        let otherRoot = try PayPalFixtures.makeChain().rootPEM
        let roots = try PayPalFixtures.temporaryFile(otherRoot)
        let method = PayPalWebhookVerifier.Method.offline(try PayPalCertificates(.downloaded(trustedRootsPath: roots, client: fake)))
        #expect(throws: WebhookError.unverified("PayPal's signing certificate does not chain to a trusted root.")) {
            try verify(try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED"), method: method)
        }
        // Nothing was cached: the next delivery downloads again.
        #expect(throws: WebhookError.self) { try verify(try PayPalFixtures.delivery("02-PAYMENT.CAPTURE.PENDING"), method: method) }
        #expect(fake.requests.count == 2)
    }

    func downloaded(_ chain: PayPalFixtures.MadeChain, servedPEM: String? = nil) throws -> (PayPalWebhookVerifier.Method, APIGatewayV2Request) {
        let fake = PayPalFakeHTTP()
        fake.on("GET", "/v1/notifications/certs/CERT-made", status: 200, json: servedPEM ?? chain.leafPEM)
        let roots = try PayPalFixtures.temporaryFile(chain.rootPEM)
        let method = PayPalWebhookVerifier.Method.offline(try PayPalCertificates(.downloaded(trustedRootsPath: roots, client: fake)))
        let success = try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")
        let request = try PayPalFixtures.signed(success, body: success.body!, key: chain.leafKey,
                                                certURL: "https://api.paypal.com/v1/notifications/certs/CERT-made")
        return (method, request)
    }

    @Test func inTestChainIsAcceptedSoTheRefusalsBelowAreAboutOneThing() throws {
        let (method, request) = try downloaded(try PayPalFixtures.makeChain())
        try verify(request, method: method)
    }

    @Test func leafNotNamedForPayPalIsRefused() throws {
        let (method, request) = try downloaded(try PayPalFixtures.makeChain(leafName: "webhooks.example.com"))
        #expect(throws: WebhookError.unverified("The signing certificate is not issued to a PayPal host name.")) { try verify(request, method: method) }
    }

    @Test func expiredOrNotYetValidCertificateIsRefused() throws {
        let expired = try PayPalFixtures.makeChain(notBefore: Date(timeIntervalSince1970: 1_600_000_000), notAfter: Date(timeIntervalSince1970: 1_700_000_000))
        let (method, request) = try downloaded(expired)
        #expect(throws: WebhookError.unverified("PayPal's signing certificate has expired.")) { try verify(request, method: method) }

        let future = try PayPalFixtures.makeChain(notBefore: Date(timeIntervalSince1970: 1_800_000_000))
        let (futureMethod, futureRequest) = try downloaded(future)
        #expect(throws: WebhookError.unverified("PayPal's signing certificate is not valid yet at the delivery time.")) { try verify(futureRequest, method: futureMethod) }

        // Pinned: the validity period is still checked.
        let pinned = PayPalWebhookVerifier.Method.offline(try PayPalCertificates(.pinned(pem: expired.leafPEM)))
        #expect(throws: WebhookError.unverified("The pinned PAYPAL_WEBHOOK_CERT certificate has expired.")) { try verify(request, method: pinned) }
        // The committed leaf is valid 2025-01-01 to 2045-01-01.
        #expect(throws: WebhookError.self) {
            try verify(try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED"), method: .offline(try PayPalFixtures.pinnedCertificates()),
                       at: Date(timeIntervalSince1970: 2_400_000_000))
        }
    }

    @Test func unusableCertificateDownloadsAreRefusedOrRetried() throws {
        let chain = try PayPalFixtures.makeChain()
        let (notPEM, request) = try downloaded(chain, servedPEM: "<html>not a certificate</html>")
        #expect(throws: WebhookError.unverified("PAYPAL-CERT-URL did not serve a PEM certificate.")) { try verify(request, method: notPEM) }

        for (answer, expected) in [(PayPalFakeHTTP.Answer.transportError, 503), (.response(HTTPResponse(status: 503)), 503), (.response(HTTPResponse(status: 404)), 400)] {
            let fake = PayPalFakeHTTP()
            fake.on("GET", "/v1/notifications/certs/CERT-made", answer)
            let method = PayPalWebhookVerifier.Method.offline(try PayPalCertificates(.downloaded(trustedRootsPath: try PayPalFixtures.temporaryFile(chain.rootPEM), client: fake)))
            do {
                try verify(request, method: method)
                Issue.record("accepted without a certificate")
            } catch {
                #expect(error.problem.status == expected)
            }
        }
    }

    @Test func missingTrustedRootsAreAnOperatorProblemNotAForgery() throws {
        let (_, request) = try downloaded(try PayPalFixtures.makeChain())
        let fake = PayPalFakeHTTP()
        fake.on("GET", "/v1/notifications/certs/CERT-made", status: 200, json: try PayPalFixtures.makeChain().leafPEM)
        let method = PayPalWebhookVerifier.Method.offline(try PayPalCertificates(.downloaded(trustedRootsPath: "/nonexistent/roots.pem", client: fake)))
        #expect(throws: WebhookError.unavailable("No trusted root certificates could be read from PAYPAL_TRUSTED_ROOTS.")) { try verify(request, method: method) }
    }

    // MARK: Online verification (PAYPAL_WEBHOOK_VERIFICATION=online)

    func online(_ answers: [PayPalFakeHTTP.Answer]) throws -> (PayPalWebhookVerifier.Method, PayPalFakeHTTP) {
        let fake = PayPalFakeHTTP()
        try fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
        for answer in answers { fake.on("POST", "/v1/notifications/verify-webhook-signature", answer) }
        let tokens = PayPalAccessTokens(clientID: "client-id", clientSecret: "client-secret", apiBase: "https://api-m.sandbox.paypal.com/",
                                        client: fake, clock: FixedClock(PayPalFixtures.baseTime))
        return (.online(tokens), fake)
    }

    static func verification(_ status: String) -> PayPalFakeHTTP.Answer {
        .response(HTTPResponse(status: 200, body: Array(#"{"verification_status":"\#(status)"}"#.utf8)))
    }

    @Test func onlineVerificationSendsTheTransmissionAndTheRawEvent() throws {
        let (method, fake) = try online([Self.verification("SUCCESS")])
        let request = try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")
        try verify(request, method: method)
        try verify(try PayPalFixtures.delivery("05-PAYMENT.CAPTURE.REFUNDED"), method: method)
        #expect(fake.requests(to: "/v1/oauth2/token").count == 1)
        let calls = fake.requests(to: "/v1/notifications/verify-webhook-signature")
        #expect(calls.count == 2)
        let call = try #require(calls.first)
        #expect(call.url == "https://api-m.sandbox.paypal.com/v1/notifications/verify-webhook-signature")
        #expect(call.header("Authorization") == "Bearer A21AAFixtureAccessToken0123456789abcdefghijklmnopqrstuvwxyzTESTONLY")
        #expect(call.header("Content-Type") == "application/json")
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any])
        let headers = try #require(request.headers)
        #expect(sent["auth_algo"] as? String == "SHA256withRSA")
        #expect(sent["cert_url"] as? String == headers["paypal-cert-url"])
        #expect(sent["transmission_id"] as? String == headers["paypal-transmission-id"])
        #expect(sent["transmission_sig"] as? String == headers["paypal-transmission-sig"])
        #expect(sent["transmission_time"] as? String == headers["paypal-transmission-time"])
        #expect(sent["webhook_id"] as? String == PayPalFixtures.webhookID)
        // The event goes as received, byte for byte.
        #expect(String(decoding: call.body, as: UTF8.self).hasSuffix(#","webhook_event":"# + request.body! + "}"))
    }

    @Test func onlineVerificationFailureIsRefusedAndOutageRetried() throws {
        let request = try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")
        let (failing, _) = try online([Self.verification("FAILURE")])
        #expect(throws: WebhookError.unverified("PayPal did not verify this delivery (FAILURE).")) { try verify(request, method: failing) }
        for answer in [PayPalFakeHTTP.Answer.transportError, .response(HTTPResponse(status: 500)), .response(HTTPResponse(status: 401))] {
            let (method, _) = try online([answer])
            do {
                try verify(request, method: method)
                Issue.record("accepted without PayPal's word")
            } catch {
                #expect(error.problem.status == 503)
            }
        }
        // The local checks come first: no call for a stale or foreign-certificate delivery.
        let (method, fake) = try online([Self.verification("SUCCESS")])
        #expect(throws: WebhookError.self) { try verify(request, method: method, at: PayPalFixtures.baseTime.addingTimeInterval(3600)) }
        #expect(throws: WebhookError.self) { try verify(request.settingHeader("PAYPAL-CERT-URL", "https://evil.example/c"), method: method) }
        #expect(throws: WebhookError.malformed("The body is not a JSON object.")) {
            var garbage = request
            garbage.body = "[1,2]"
            try verify(garbage, method: method)
        }
        #expect(fake.requests.isEmpty)
    }
}

@Suite struct PayPalWebhookMappingTests {
    func notifications(_ file: String, capture: Bool = false, store: SQLitePaymentStore? = nil, client: PayPalFakeHTTP? = nil) throws -> [ProviderNotification] {
        let request = try PayPalFixtures.delivery(file)
        let store = try store ?? makeTemporaryStore()
        let authenticator = try PayPalFixtures.authenticator(client: client ?? PayPalFakeHTTP(), store: store,
                                                             clock: FixedClock(PayPalFixtures.baseTime), capture: capture)
        return try authenticator.notifications(in: WebhookDelivery(body: request.rawBody()!, request: request, receivedAt: PayPalFixtures.baseTime.timeIntervalSince1970))
    }

    @Test func eventsMapToFacts() throws {
        let manifest = try PayPalFixtures.manifest()
        let events = try #require(manifest["events"] as? [[String: Any]])
        func one(_ file: String) throws -> ProviderNotification {
            let all = try notifications(file)
            #expect(all.count == 1)
            let notification = try #require(all.first)
            let entry = events.first { $0["file"] as? String == file + ".json" }
            #expect(notification.id == entry?["eventId"] as? String)
            #expect(notification.paymentID == PayPalFixtures.paymentID)
            return notification
        }
        let approved = try one("01-CHECKOUT.ORDER.APPROVED")
        #expect(approved.fact == .processing)
        #expect(approved.providerReference == PayPalFixtures.paypalOrderID)
        #expect(approved.currency == "USD")
        #expect(try one("02-PAYMENT.CAPTURE.PENDING").fact == .processing)
        let completed = try one("03-PAYMENT.CAPTURE.COMPLETED")
        #expect(completed.fact == .succeeded)
        #expect(completed.providerReference == PayPalFixtures.paypalOrderID)
        #expect(try one("04-PAYMENT.CAPTURE.DENIED").fact == .failed)
        // Cumulative totals: 10.00 after the partial refund, 20.00 after the second.
        #expect(try one("05-PAYMENT.CAPTURE.REFUNDED").fact == .refunded(totalMinorUnits: 1000))
        #expect(try one("06-PAYMENT.CAPTURE.REFUNDED").fact == .refunded(totalMinorUnits: 2000))
        #expect(try one("05-PAYMENT.CAPTURE.REFUNDED").currency == "USD")
        let dispute = try one("07-CUSTOMER.DISPUTE.CREATED")
        #expect(dispute.fact == .disputeOpened)
        #expect(dispute.providerReference == nil)
        #expect(try notifications("08-BILLING.PLAN.CREATED").isEmpty)
    }

    func event(type: String, resource: String) -> JSONValue {
        try! JSONValue(parsing: #"{"id":"WH-T","event_type":"\#(type)","resource":\#(resource)}"#)
    }

    @Test func refundWithoutTheCumulativeTotalUsesItsOwnAmountAsALowerBound() throws {
        let refund = #"{"id":"R1","custom_id":"pay_1","amount":{"currency_code":"JPY","value":"500"}}"#
        let notification = try PayPalWebhookAuthenticator.notification(id: "WH-T", type: "PAYMENT.CAPTURE.REFUNDED", event: event(type: "PAYMENT.CAPTURE.REFUNDED", resource: refund))
        #expect(notification?.fact == .refunded(totalMinorUnits: 500))
        #expect(notification?.currency == "JPY")
        #expect(throws: WebhookError.self) {
            try PayPalWebhookAuthenticator.notification(id: "WH-T", type: "PAYMENT.CAPTURE.REFUNDED",
                                                         event: event(type: "PAYMENT.CAPTURE.REFUNDED", resource: #"{"amount":{"currency_code":"USD","value":"1.234"}}"#))
        }
    }

    @Test func disputeResolutionsMapToWonOrLost() throws {
        func fact(_ outcome: String) throws -> PaymentFact? {
            let resource = #"{"disputed_transactions":[{"custom":"pay_1"}],"dispute_outcome":{"outcome_code":"\#(outcome)"}}"#
            return try PayPalWebhookAuthenticator.notification(id: "WH-T", type: "CUSTOMER.DISPUTE.RESOLVED", event: event(type: "CUSTOMER.DISPUTE.RESOLVED", resource: resource))?.fact
        }
        #expect(try fact("RESOLVED_SELLER_FAVOUR") == .disputeWon)
        #expect(try fact("RESOLVED_BUYER_FAVOUR") == .disputeLost)
        #expect(try fact("RESOLVED_WITH_PAYOUT") == .disputeOpened)
    }

    @Test func disputeWithoutOurCustomFieldIsAcknowledgedAsUnknown() throws {
        let store = try makeTemporaryStore()
        let payment = try PayPalFixtures.seedPayment(in: store)
        let success = try PayPalFixtures.delivery("07-CUSTOMER.DISPUTE.CREATED")
        let body = success.body!.replacingOccurrences(of: #","custom":"pay_fixture0002""#, with: "")
        #expect(body != success.body)
        let function = WebhookFunction(authenticator: try PayPalFixtures.authenticator(client: PayPalFakeHTTP(), store: store, clock: FixedClock(PayPalFixtures.baseTime)),
                                       store: store, clock: FixedClock(PayPalFixtures.baseTime))
        let response = try function.handle(try PayPalFixtures.signed(success, body: body, key: PayPalFixtures.leafKey()), context: testContext)
        #expect(response.statusCode == 200)
        #expect(try store.payment(id: payment.id) == payment)
        #expect(try store.unpublishedEvents(limit: 10).isEmpty)
    }

    @Test func signedEventWithoutResourceIsMalformed() throws {
        let success = try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")
        let request = try PayPalFixtures.signed(success, body: #"{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":"x"}"#, key: PayPalFixtures.leafKey())
        let authenticator = try PayPalFixtures.authenticator(client: PayPalFakeHTTP(), store: try makeTemporaryStore(), clock: FixedClock(PayPalFixtures.baseTime))
        #expect(throws: WebhookError.malformed("PayPal event WH-1 (PAYMENT.CAPTURE.COMPLETED) has no resource.")) {
            try authenticator.notifications(in: WebhookDelivery(body: request.rawBody()!, request: request, receivedAt: PayPalFixtures.baseTime.timeIntervalSince1970))
        }
    }

    // MARK: Capture on approval

    struct CaptureHarness {
        let store: SQLitePaymentStore
        let fake: PayPalFakeHTTP
        let function: WebhookFunction
        let payment: Payment

        init(fake: PayPalFakeHTTP, reference: String? = PayPalFixtures.paypalOrderID) throws {
            store = try makeTemporaryStore()
            self.fake = fake
            payment = try PayPalFixtures.seedPayment(in: store, reference: reference)
            let clock = FixedClock(PayPalFixtures.baseTime)
            function = WebhookFunction(authenticator: try PayPalFixtures.authenticator(client: fake, store: store, clock: clock), store: store, clock: clock)
        }

        func approve() throws -> APIGatewayV2Response {
            try function.handle(try PayPalFixtures.delivery("01-CHECKOUT.ORDER.APPROVED"), context: testContext)
        }

        var stored: Payment { get throws { try #require(try store.payment(id: payment.id)) } }
        var captureCalls: [HTTPRequest] { fake.requests(to: "/v2/checkout/orders/\(PayPalFixtures.paypalOrderID)/capture") }
    }

    @Test func approvalOfOurOrderCapturesItOnce() throws {
        let harness = try CaptureHarness(fake: try PayPalFixtures.fakeCapturingPayPal())
        #expect(try harness.approve().statusCode == 200)
        #expect(try harness.stored.status == .succeeded)
        // The approval and the capture it led to are one change: one transition, one event.
        #expect(try harness.store.unpublishedEvents(limit: 10).map(\.detailType) == ["PaymentSucceeded"])
        let call = try #require(harness.captureCalls.first)
        #expect(call.method == "POST")
        #expect(call.url == "https://api-m.paypal.test/v2/checkout/orders/5O190127TN364715T/capture")
        #expect(call.header("PayPal-Request-Id") == "capture-pay_fixture0002")
        #expect(call.header("Authorization")?.hasPrefix("Bearer ") == true)
        #expect(call.isIdempotent)
        // A repeated approval finds the payment captured and calls PayPal no more.
        #expect(try harness.approve().statusCode == 200)
        #expect(harness.captureCalls.count == 1)
        #expect(try harness.store.unpublishedEvents(limit: 10).count == 1)
    }

    @Test func captureOutageAnswers503AndStoresNothing() throws {
        for answer in [PayPalFakeHTTP.Answer.transportError, .response(HTTPResponse(status: 500)), .response(HTTPResponse(status: 401))] {
            let fake = PayPalFakeHTTP()
            try fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
            fake.on("POST", "/v2/checkout/orders/\(PayPalFixtures.paypalOrderID)/capture", answer)
            let harness = try CaptureHarness(fake: fake)
            let response = try harness.approve()
            #expect(response.statusCode == 503)
            #expect(response.json["type"] as? String == "/problems/provider-unavailable")
            #expect(try harness.stored == harness.payment)
            #expect(try harness.store.unpublishedEvents(limit: 10).isEmpty)
        }
    }

    @Test func refusedCaptureAppliesTheApprovalAlone() throws {
        let fake = PayPalFakeHTTP()
        try fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
        fake.on("POST", "/v2/checkout/orders/\(PayPalFixtures.paypalOrderID)/capture", status: 422,
                json: #"{"name":"UNPROCESSABLE_ENTITY","details":[{"issue":"INSTRUMENT_DECLINED","description":"The instrument presented was declined."}]}"#)
        let harness = try CaptureHarness(fake: fake)
        #expect(try harness.approve().statusCode == 200)
        #expect(try harness.stored.status == .processing)
        #expect(harness.captureCalls.count == 1)
    }

    @Test func ordersThatAreNotOursAreNeverCaptured() throws {
        // Another order id than the stored reference.
        let mismatched = try CaptureHarness(fake: try PayPalFixtures.fakeCapturingPayPal(), reference: "8AB00000CD000000E")
        #expect(try mismatched.approve().statusCode == 200)
        #expect(mismatched.captureCalls.isEmpty)
        // A payment we never stored.
        let unknown = try CaptureHarness(fake: try PayPalFixtures.fakeCapturingPayPal())
        let approval = try PayPalFixtures.delivery("01-CHECKOUT.ORDER.APPROVED")
        let body = approval.body!.replacingOccurrences(of: PayPalFixtures.paymentID, with: "pay_elsewhere")
            .replacingOccurrences(of: PayPalFixtures.paypalOrderID, with: "9XX00000XX000000X")
        #expect(try unknown.function.handle(try PayPalFixtures.signed(approval, body: body, key: PayPalFixtures.leafKey()), context: testContext).statusCode == 200)
        #expect(unknown.captureCalls.isEmpty)
        #expect(try unknown.stored == unknown.payment)
    }

    @Test func captureBackfillsTheReferenceWhenThePaymentHasNone() throws {
        let harness = try CaptureHarness(fake: try PayPalFixtures.fakeCapturingPayPal(), reference: nil)
        #expect(try harness.approve().statusCode == 200)
        #expect(try harness.stored.providerReference == PayPalFixtures.paypalOrderID)
        #expect(try harness.stored.status == .succeeded)
    }
}
