import Foundation
import PaymentsCore
import Platform
@testable import PayPalProvider
import Testing

/// What forged deliveries can make the webhook function download or forget: with the certificate
/// fetched from PAYPAL-CERT-URL (`PayPalCertificates.downloaded`), against a fake PayPal counting requests.
@Suite struct PayPalCertificateFetchTests {
    static let certs = "https://api.paypal.com/v1/notifications/certs/"

    struct Rig {
        let chain: PayPalFixtures.MadeChain
        let fake = PayPalFakeHTTP()
        let certificates: PayPalCertificates
        let verifier: PayPalWebhookVerifier

        /// PayPal serves the in-test chain's leaf at each of `served` (certificate names); any other path answers 404.
        init(served: [String] = ["CERT-made"], cacheLimit: Int = PayPalCertificates.defaultCacheLimit) throws {
            chain = try PayPalFixtures.makeChain()
            for name in served { fake.on("GET", "/v1/notifications/certs/\(name)", status: 200, json: chain.leafPEM) }
            certificates = try PayPalCertificates(.downloaded(trustedRootsPath: try PayPalFixtures.temporaryFile(chain.rootPEM), client: fake),
                                                  cacheLimit: cacheLimit)
            verifier = PayPalWebhookVerifier(webhookID: PayPalFixtures.webhookID, method: .offline(certificates))
        }

        /// A delivery naming `certURL`, signed by PayPal's key (the chain's) or, forged, by another.
        func delivery(certURL: String, genuine: Bool = true) throws -> APIGatewayV2Request {
            let success = try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")
            return try PayPalFixtures.signed(success, body: success.body!, key: genuine ? chain.leafKey : PayPalFixtures.otherKey, certURL: certURL)
        }

        func verify(_ request: APIGatewayV2Request, after seconds: Double = 0) throws(WebhookError) {
            try verifier.verify(WebhookDelivery(body: request.rawBody()!, request: request,
                                                receivedAt: PayPalFixtures.baseTime.timeIntervalSince1970 + seconds))
        }

        var fetches: Int { fake.requests.count }
    }

    /// 50 URLs a forger might try, each new, none of PayPal's certificate URLs.
    static func forgedURLs() -> [String] {
        (0..<50).map { i in
            switch i % 10 {
            case 0: "\(certs)CERT-made?v=\(i)"
            case 1: "\(certs)CERT-made#\(i)"
            case 2: "https://evil\(i).example/v1/notifications/certs/CERT-made"
            case 3: "https://api.paypal.com:\(8000 + i)/v1/notifications/certs/CERT-made"
            case 4: "https://u\(i)@api.paypal.com/v1/notifications/certs/CERT-made"
            case 5: "https://api\(i).paypal.com/v1/notifications/certs/CERT-made"
            case 6: "http://api.paypal.com/v1/notifications/certs/CERT-\(i)"
            case 7: "\(certs)CERT-made/\(i)"
            case 8: "\(certs)..%2F\(i)"
            default: "https://API.PAYPAL.COM/v1/notifications/certs/CERT-\(i)"
            }
        }
    }

    @Test func fiftyForgedDeliveriesWithNewCertificateURLsCauseNoFetch() throws {
        let rig = try Rig()
        try rig.verify(try rig.delivery(certURL: "\(Self.certs)CERT-made"))
        #expect(rig.fetches == 1)
        let urls = Self.forgedURLs()
        #expect(Set(urls).count == 50)
        for url in urls {
            #expect(throws: WebhookError.unverified("PAYPAL-CERT-URL is not an https URL on a PayPal host; it was not fetched."), "\(url)") {
                try rig.verify(try rig.delivery(certURL: url, genuine: false))
            }
        }
        #expect(rig.fetches == 1, "no forged delivery made the function fetch")
        #expect(rig.certificates.cachedURLs == ["\(Self.certs)CERT-made"], "nor flushed the cache")
        try rig.verify(try rig.delivery(certURL: "\(Self.certs)CERT-made"))
        #expect(rig.fetches == 1)
    }

    @Test func fiftyForgedDeliveriesWithNewPayPalShapedNamesCostOneDownload() throws {
        let rig = try Rig()
        try rig.verify(try rig.delivery(certURL: "\(Self.certs)CERT-made"))
        // The first unknown name is fetched (PayPal answers 404); for a minute after, no unknown name is.
        #expect(throws: WebhookError.unverified("PAYPAL-CERT-URL answered 404; no certificate to verify with.")) {
            try rig.verify(try rig.delivery(certURL: "\(Self.certs)CERT-forged-0", genuine: false))
        }
        for i in 1..<50 {
            let forged = try rig.delivery(certURL: "\(Self.certs)CERT-forged-\(i)", genuine: false)
            do {
                try rig.verify(forged, after: Double(i))
                Issue.record("forged delivery \(i) was accepted")
            } catch {
                #expect(error.problem.status == 503, "PayPal would deliver a genuine one again later")
            }
        }
        #expect(rig.fetches == 2)
        // The cached certificate keeps working meanwhile.
        try rig.verify(try rig.delivery(certURL: "\(Self.certs)CERT-made"), after: 30)
        #expect(rig.fetches == 2)
        // Once the pause is over, a new name is fetched again.
        #expect(throws: WebhookError.self) { try rig.verify(try rig.delivery(certURL: "\(Self.certs)CERT-forged-50", genuine: false), after: 61) }
        #expect(rig.fetches == 3)
    }

    @Test func aFailedFetchIsRememberedBriefly() throws {
        let rig = try Rig(served: [])
        let url = "\(Self.certs)CERT-made"
        rig.fake.on("GET", "/v1/notifications/certs/CERT-made", .transportError)
        rig.fake.on("GET", "/v1/notifications/certs/CERT-made", status: 200, json: rig.chain.leafPEM)
        let genuine = try rig.delivery(certURL: url)
        for seconds in [0.0, 1, 30, 59] {
            do {
                try rig.verify(genuine, after: seconds)
                Issue.record("accepted without a certificate at +\(seconds) s")
            } catch {
                #expect(error.problem.status == 503)
            }
        }
        #expect(rig.fetches == 1, "the failure was answered from memory for 60 s")
        try rig.verify(genuine, after: 61)
        #expect(rig.fetches == 2)
        try rig.verify(genuine, after: 62)
        #expect(rig.fetches == 2, "and the certificate is cached once fetched")

        // A refusal (404) is remembered with its own answer.
        let missing = try Rig(served: [])
        let gone = try missing.delivery(certURL: "\(Self.certs)CERT-gone")
        let answer = WebhookError.unverified("PAYPAL-CERT-URL answered 404; no certificate to verify with.")
        #expect(throws: answer) { try missing.verify(gone) }
        #expect(throws: answer) { try missing.verify(gone, after: 10) }
        #expect(missing.fetches == 1)
    }

    @Test func theCacheEvictsOneEntryAtATimeLeastRecentlyUsedFirst() throws {
        let names = ["CERT-1", "CERT-2", "CERT-3", "CERT-4"]
        let rig = try Rig(served: names, cacheLimit: 3)
        func use(_ name: String) throws { try rig.verify(try rig.delivery(certURL: Self.certs + name)) }
        for name in names.prefix(3) { try use(name) }
        #expect(rig.fetches == 3)
        try use("CERT-1")
        #expect(rig.fetches == 3)
        #expect(rig.certificates.cachedURLs == ["CERT-2", "CERT-3", "CERT-1"].map { Self.certs + $0 })
        try use("CERT-4")  // full: only the least recently used (CERT-2) goes
        #expect(rig.fetches == 4)
        #expect(rig.certificates.cachedURLs == ["CERT-3", "CERT-1", "CERT-4"].map { Self.certs + $0 })
        try use("CERT-3")
        try use("CERT-1")
        #expect(rig.fetches == 4, "the others stayed cached")
        try use("CERT-2")
        #expect(rig.fetches == 5)
        #expect(rig.certificates.cachedURLs == ["CERT-3", "CERT-1", "CERT-2"].map { Self.certs + $0 })
    }

    @Test func recentlyUsedCacheDropsOnlyItsOldestEntry() {
        var cache = RecentlyUsedCache<Int>(capacity: 2)
        #expect(cache.insert(1, for: "a") == nil)
        #expect(cache.insert(2, for: "b") == nil)
        #expect(cache.value(for: "a") == 1)
        #expect(cache.insert(3, for: "c") == "b")
        #expect(cache.keys == ["a", "c"])
        #expect(cache.insert(4, for: "a") == nil, "replacing a value evicts nothing")
        #expect(cache.keys == ["c", "a"])
        cache.remove("c")
        #expect(cache.keys == ["a"])
        #expect(cache.count == 1)
    }
}
