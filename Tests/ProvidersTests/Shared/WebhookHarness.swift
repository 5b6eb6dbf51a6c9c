import Foundation
import Testing
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter

/// One webhook function over a fresh store holding a kit's payment: what every webhook test drives.
struct WebhookHarness {
    let store: SQLitePaymentStore
    let function: WebhookFunction
    let payment: Payment

    /// A fresh store with the kit's payment, and the kit's webhook function (or `authenticator`'s) over it.
    init(_ kit: any WebhookTestKit, authenticator: (any WebhookAuthenticator)? = nil) throws {
        let store = try makeTemporaryStore()
        let clock = FixedClock(kit.signedAt)
        self.store = store
        function = try authenticator.map { WebhookFunction(authenticator: $0, store: store, clock: clock) }
            ?? kit.makeFunction(store: store, clock: clock)
        payment = try kit.seedPayment(in: store)
    }

    func send(_ request: APIGatewayV2Request) throws -> APIGatewayV2Response {
        try function.handle(request, context: testContext)
    }

    var stored: Payment { get throws { try #require(try store.payment(id: payment.id)) } }
    var outbox: [PaymentEvent] { get throws { try store.unpublishedEvents(limit: 1000) } }

    /// Refused: a 400 problem, and the payment and outbox exactly as before.
    func expectRefused(_ request: APIGatewayV2Request, slug: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try stored
        let response = try send(request)
        #expect(response.statusCode == 400, sourceLocation: sourceLocation)
        #expect(response.headers?["content-type"] == "application/problem+json", sourceLocation: sourceLocation)
        #expect(response.json["type"] as? String == "/problems/\(slug)", sourceLocation: sourceLocation)
        #expect(try stored == before, sourceLocation: sourceLocation)
        #expect(try outbox.isEmpty, sourceLocation: sourceLocation)
    }
}
