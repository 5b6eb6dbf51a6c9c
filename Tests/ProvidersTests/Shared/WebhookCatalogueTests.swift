import Foundation
import Testing
import PaymentsCore
import Platform
import SQLiteAdapter
import TestSupport

/// The bad-input and ordering catalogue shared by every provider: same cases, one row per provider.
@Suite struct WebhookCatalogueTests {
    typealias Harness = WebhookHarness

    @Test(arguments: allWebhookKits)
    func verifiedSuccessMovesThePaymentAndAnnouncesItOnce(kit: any WebhookTestKit) throws {
        let harness = try Harness(kit)
        let response = try harness.send(try kit.successDelivery())
        #expect(response.statusCode == 200)
        #expect(try harness.stored.status == .succeeded)
        let events = try harness.outbox
        #expect(events.map(\.detailType) == ["PaymentSucceeded"])
        #expect(events.first?.detail.paymentId == harness.payment.id)
        #expect(events.first?.detail.amount == harness.payment.amount.minorUnits)
    }

    @Test(arguments: allWebhookKits)
    func base64EncodedBodyIsVerifiedOverTheDecodedBytes(kit: any WebhookTestKit) throws {
        let harness = try Harness(kit)
        #expect(try harness.send(try kit.successDelivery().base64Encoded()).statusCode == 200)
        #expect(try harness.stored.status == .succeeded)
    }

    @Test(arguments: allWebhookKits)
    func duplicateDeliveryPublishesNothingNew(kit: any WebhookTestKit) throws {
        let harness = try Harness(kit)
        let delivery = try kit.successDelivery()
        for _ in 0..<3 { #expect(try harness.send(delivery).statusCode == 200) }
        #expect(try harness.outbox.count == 1)
        #expect(try harness.stored.version == harness.payment.version + 1)
    }

    @Test(arguments: allWebhookKits)
    func tamperedBodyIsRefused(kit: any WebhookTestKit) throws {
        let harness = try Harness(kit)
        try harness.expectRefused(try kit.successDelivery().tampered(), slug: "invalid-signature")
    }

    @Test(arguments: allWebhookKits)
    func missingSignatureIsRefused(kit: any WebhookTestKit) throws {
        try Harness(kit).expectRefused(try kit.unsignedDelivery(), slug: "invalid-signature")
    }

    @Test(arguments: allWebhookKits)
    func wrongKeyIsRefused(kit: any WebhookTestKit) throws {
        try Harness(kit).expectRefused(try kit.wrongKeyDelivery(), slug: "invalid-signature")
    }

    @Test(arguments: allWebhookKits)
    func signedButUnreadableNotificationIsRefused(kit: any WebhookTestKit) throws {
        let delivery = try #require(try kit.malformedSignedDelivery(), "every kit must sign a malformed delivery: \(kit.provider) returned none")
        try Harness(kit).expectRefused(delivery, slug: "malformed-notification")
    }

    @Test(arguments: allWebhookKits)
    func garbageBodyIsRefused(kit: any WebhookTestKit) throws {
        // Signed correctly, so the signature check lets it through and the body reader must refuse it.
        let delivery = try kit.signedDelivery(content: "\u{1}not a notification")
        let harness = try Harness(kit)
        let response = try harness.send(delivery)
        #expect(response.statusCode == 400)
        #expect(response.json["type"] as? String == "/problems/malformed-notification", "refused by the reader, not the signature check")
        #expect(try harness.outbox.isEmpty)
    }

    @Test(arguments: allWebhookKits)
    func invalidBase64IsRefused(kit: any WebhookTestKit) throws {
        var delivery = try kit.successDelivery()
        delivery.body = "%%%not base64%%%"
        delivery.isBase64Encoded = true
        try Harness(kit).expectRefused(delivery, slug: "invalid-base64")
    }

    @Test(arguments: allWebhookKits)
    func ignoredEventTypeIsAcknowledgedAndChangesNothing(kit: any WebhookTestKit) throws {
        let harness = try Harness(kit)
        let before = try harness.stored
        #expect(try harness.send(try kit.ignoredTypeDelivery()).statusCode == 200)
        #expect(try harness.stored == before)
        #expect(try harness.outbox.isEmpty)
    }

    @Test(arguments: allWebhookKits)
    func unknownPaymentIsAcknowledgedAndStoresNothing(kit: any WebhookTestKit) throws {
        let harness = try Harness(kit)
        let before = try harness.stored
        #expect(try harness.send(try kit.unknownPaymentDelivery()).statusCode == 200)
        #expect(try harness.stored == before)
        #expect(try harness.outbox.isEmpty)
    }

    @Test(arguments: allWebhookKits)
    func wrongRouteAndMethodAreRefused(kit: any WebhookTestKit) throws {
        let harness = try Harness(kit)
        var wrongPath = try kit.successDelivery()
        wrongPath.rawPath = "/webhooks/elsewhere"
        #expect(try harness.send(wrongPath).statusCode == 404)
        var wrongMethod = try kit.successDelivery()
        wrongMethod.requestContext.http.method = "GET"
        #expect(try harness.send(wrongMethod).statusCode == 405)
        #expect(try harness.outbox.isEmpty)
    }

    /// The non-negotiable: any order, any number of repeats, the same final state, and one event per transition.
    @Test(arguments: allWebhookKits)
    func outcomeDoesNotDependOnOrderOrRepeats(kit: any WebhookTestKit) throws {
        let (deliveries, finalStatus) = try kit.unorderedDeliveries()
        var generator = SeededGenerator(seed: 0x5eed)
        var finals: Set<PaymentRecord> = []
        for _ in 0..<25 {
            let harness = try Harness(kit)
            var sequence = deliveries + deliveries.filter { _ in Bool.random(using: &generator) }
            sequence.shuffle(using: &generator)
            for delivery in sequence { #expect(try harness.send(delivery).statusCode == 200) }
            let stored = try harness.stored
            #expect(stored.status == finalStatus)
            let events = try harness.outbox
            #expect(events.count == stored.version - harness.payment.version, "one event per stored transition")
            #expect(Set(events.map(\.id)).count == events.count)
            var record = PaymentRecord(stored)
            record.updatedAt = Date(timeIntervalSince1970: 0)
            record.version = 0
            finals.insert(record)
        }
        #expect(finals.count == 1)
    }
}
