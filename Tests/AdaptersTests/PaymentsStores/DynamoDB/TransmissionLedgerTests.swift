import Foundation
import Testing
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
import TestSupport
@testable import AWSClients

/// The transmission ledger's contract, asserted the same way on SQLite and on DynamoDB (moto, a fresh
/// payments table per test), then what the DynamoDB one writes.
@Suite("Transmission ledger (SQLite and DynamoDB)")
struct TransmissionLedgerTests {
    static let now = 1_764_000_000.0

    func ledger(_ kind: StoreKind) throws -> any TransmissionLedger {
        switch kind {
        case .sqlite:
            let store = try SQLitePaymentStore(path: FileManager.default.temporaryDirectory
                .appendingPathComponent("ledger-\(UUID().uuidString).sqlite").path)
            return SQLiteTransmissionLedger(store: store)
        case .dynamodb:
            let store = try Moto.freshStore(server: MotoServer.shared())
            return DynamoDBTransmissionLedger(client: store.client, tableName: store.tableName)
        }
    }

    func transmission(_ id: String = "tx-1", provider: String = "paypal", body: String = "a", expiresAt: Double = now + 300) -> RecordedTransmission {
        RecordedTransmission(provider: provider, id: id, bodyDigest: body, expiresAt: expiresAt)
    }

    @Test(arguments: StoreKind.allCases)
    func aTransmissionIsRecordedOnceAndComparedByBody(_ kind: StoreKind) throws {
        let ledger = try ledger(kind)
        #expect(try ledger.record(transmission(), now: Self.now) == .recorded)
        #expect(try ledger.record(transmission(), now: Self.now + 1) == .sameBody)
        #expect(try ledger.record(transmission(body: "b"), now: Self.now + 2) == .differentBody)
        // The refused one did not replace the first: the first body is still the one that matches.
        #expect(try ledger.record(transmission(), now: Self.now + 3) == .sameBody)
        #expect(try ledger.record(transmission("tx-2", body: "b"), now: Self.now) == .recorded)
        #expect(try ledger.record(transmission(provider: "other", body: "b"), now: Self.now) == .recorded, "ids are kept apart per provider")
    }

    @Test(arguments: StoreKind.allCases)
    func anExpiredRecordNoLongerCounts(_ kind: StoreKind) throws {
        let ledger = try ledger(kind)
        #expect(try ledger.record(transmission(expiresAt: Self.now + 300), now: Self.now) == .recorded)
        #expect(try ledger.record(transmission(body: "b"), now: Self.now + 300) == .differentBody, "still inside at its last second")
        #expect(try ledger.record(transmission(body: "b", expiresAt: Self.now + 900), now: Self.now + 301) == .recorded)
        #expect(try ledger.record(transmission(body: "a"), now: Self.now + 302) == .differentBody)
    }

    @Test func onDynamoDBAFirstDeliveryIsOneConditionalPutOfAnItemWithATTL() throws {
        let recorder = RecordingHTTPClient()
        let store = try Moto.freshStore(server: MotoServer.shared(), http: recorder)
        let ledger = DynamoDBTransmissionLedger(client: store.client, tableName: store.tableName)
        recorder.reset()
        #expect(try ledger.record(transmission(body: "digest-a"), now: Self.now) == .recorded)
        #expect(recorder.operations == ["PutItem"])
        let put = try JSONValue(parsing: Array(try #require(recorder.calls.first).body.utf8))
        #expect(put["ConditionExpression"]?.string == "attribute_not_exists(pk) OR #expiresAt < :now")

        let item = try #require(try DynamoDBTable(client: store.client, name: store.tableName).item("TRANSMISSION#paypal#tx-1"))
        #expect(item[string: "type"] == "transmission")
        #expect(item[string: "bodySha256"] == "digest-a")
        #expect(item[int: "expiresAt"] == Int(Self.now) + 300)

        recorder.reset()
        #expect(try ledger.record(transmission(body: "digest-b"), now: Self.now + 1) == .differentBody)
        #expect(recorder.operations == ["PutItem", "GetItem"], "a repeat costs the failed put and one consistent read")
        // The outbox relay takes only outbox items from the stream: a transmission is no event.
        #expect(try store.unpublishedEvents(limit: 10).isEmpty)
    }

    @Test func aSQLiteStoreFromBeforeTheLedgerGainsItsTableAndKeepsVersion1() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v1-ledger-\(UUID().uuidString).sqlite").path
        try SQLiteDatabase(path: path).withConnection { try $0.execute(SQLiteSchemaAdditionsTests.firstVersion1) }
        let store = try SQLitePaymentStore(path: path)
        #expect(try store.database.withConnection { try $0.query("PRAGMA user_version") }.first?.first == "1")
        #expect(try SQLiteTransmissionLedger(store: store).record(transmission(), now: Self.now) == .recorded)
        #expect(try store.payment(id: "pay_old") != nil)
    }
}
