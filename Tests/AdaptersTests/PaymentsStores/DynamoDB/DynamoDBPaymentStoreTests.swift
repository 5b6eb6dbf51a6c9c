import Foundation
import XCTest
import PaymentsCore
import Platform
import PaymentsStores
import CurlHTTP
import TestSupport
@testable import AWSClients

/// What the DynamoDB store sends, and what the table and its stream then hold, against moto.
/// (The semantics it shares with SQLite are StoreContractTests'.)
final class DynamoDBPaymentStoreTests: XCTestCase {
    let usd = Currency(code: "USD")!
    let start = Date(timeIntervalSince1970: 1_764_000_000)

    func payment(id: String = "pay_1", reference: String? = nil) -> Payment {
        Payment(id: id, orderID: "ord_1", provider: "braintree", providerReference: reference,
                amount: Money(minorUnits: 2000, currency: usd), createdAt: start)
    }

    func recordedStore() throws -> (DynamoDBPaymentStore, RecordingHTTPClient) {
        let recorder = RecordingHTTPClient()
        return (try Moto.freshStore(server: MotoServer.shared(), http: recorder), recorder)
    }

    /// The request bodies of the calls recorded, parsed.
    func bodies(_ recorder: RecordingHTTPClient) throws -> [JSONValue] {
        try recorder.calls.map { try JSONValue(parsing: $0.body) }
    }

    func testReadsAreConsistentGetItemsAndNeverAQueryOrScan() throws {
        let (store, recorder) = try recordedStore()
        _ = try store.create(payment(reference: "txn_1"), idempotencyKey: "k", requestFingerprint: "f")

        recorder.reset()
        XCTAssertEqual(try store.payment(id: "pay_1")?.id, "pay_1")
        XCTAssertEqual(recorder.operations, ["GetItem"])
        XCTAssertEqual(try bodies(recorder).map { $0["Key"]?["pk"]?["S"]?.string }, ["PAYMENT#pay_1"])

        recorder.reset()
        XCTAssertEqual(try store.payment(provider: "braintree", reference: "txn_1")?.id, "pay_1")
        XCTAssertEqual(recorder.operations, ["GetItem", "GetItem"])
        XCTAssertEqual(try bodies(recorder).map { $0["Key"]?["pk"]?["S"]?.string }, ["REFERENCE#braintree#txn_1", "PAYMENT#pay_1"])

        recorder.reset()
        XCTAssertNil(try store.payment(provider: "braintree", reference: "txn_unknown"))
        XCTAssertEqual(recorder.operations, ["GetItem"], "an unknown reference costs one read")

        for call in try bodies(recorder) { XCTAssertEqual(call["ConsistentRead"], .bool(true)) }
        XCTAssertTrue(recorder.calls.allSatisfy { $0.body.contains(#""ConsistentRead":true"#) })
    }

    func testAWebhookIsOneReadAndOneTransaction() throws {
        let (store, recorder) = try recordedStore()
        _ = try store.create(payment(reference: "txn_1"), idempotencyKey: "k", requestFingerprint: "f")
        recorder.reset()

        // What a webhook does: find the payment, store its change with the event.
        let found = try XCTUnwrap(store.payment(provider: "braintree", reference: "txn_1"))
        let change = try XCTUnwrap(found.applying(.succeeded, at: start))
        XCTAssertTrue(try store.update(change.payment, expectedVersion: found.version, events: [change.event]))
        XCTAssertEqual(recorder.operations, ["GetItem", "GetItem", "TransactWriteItems"])

        let transaction = try XCTUnwrap(bodies(recorder).last)
        guard case .array(let items)? = transaction["TransactItems"] else { return XCTFail("no TransactItems") }
        XCTAssertEqual(items.map { $0["Put"]?["Item"]?["pk"]?["S"]?.string }, ["PAYMENT#pay_1", "OUTBOX#pay_1-v2"],
                       "the reference's lookup item exists already: not written again")
        XCTAssertEqual(items[0]["Put"]?["ConditionExpression"]?.string, "#version = :expected")
        XCTAssertEqual(items[0]["Put"]?["ExpressionAttributeValues"]?[":expected"]?["N"]?.string, "1")
        XCTAssertEqual(items[1]["Put"]?["ConditionExpression"]?.string, "attribute_not_exists(pk)")
        XCTAssertEqual(items[1]["Put"]?["Item"]?["event"]?["S"]?.string, String(decoding: try change.event.json(), as: UTF8.self))
        XCTAssertNotNil(transaction["ClientRequestToken"]?.string)

        recorder.reset()
        let byID = try XCTUnwrap(store.payment(id: "pay_1"))
        let refund = try XCTUnwrap(byID.applying(.refunded(totalMinorUnits: 500), at: start))
        XCTAssertTrue(try store.update(refund.payment, expectedVersion: byID.version, events: [refund.event]))
        XCTAssertEqual(recorder.operations, ["GetItem", "TransactWriteItems"], "by payment id: one GetItem, one transaction")
    }

    func testANewReferenceIsWrittenInTheSameTransactionUnderItsCondition() throws {
        let (store, recorder) = try recordedStore()
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        recorder.reset()
        let answered = payment().revised(at: start) { $0.providerReference = "txn_9" }
        XCTAssertTrue(try store.update(answered, expectedVersion: 1, events: []))
        XCTAssertEqual(recorder.operations, ["TransactWriteItems"])
        let reference = try XCTUnwrap(bodies(recorder).first?["TransactItems"]?[1]?["Put"])
        XCTAssertEqual(reference["Item"]?["pk"]?["S"]?.string, "REFERENCE#braintree#txn_9")
        XCTAssertEqual(reference["ConditionExpression"]?.string, "attribute_not_exists(pk) OR paymentId = :id")

        // Another process (nothing remembered) writes it again, harmlessly, since it is this payment's.
        let other = DynamoDBPaymentStore(client: store.client, tableName: store.tableName)
        let change = try XCTUnwrap(answered.applying(.succeeded, at: start))
        XCTAssertTrue(try other.update(change.payment, expectedVersion: 2, events: [change.event]))
        XCTAssertEqual(try store.payment(provider: "braintree", reference: "txn_9"), change.payment)
    }

    func testCreateIsOneTransactionAndARepeatReadsWhatTheKeyHolds() throws {
        let (store, recorder) = try recordedStore()
        recorder.reset()
        XCTAssertEqual(try store.create(payment(reference: "txn_1"), idempotencyKey: "k", requestFingerprint: "f"),
                       .created(payment(reference: "txn_1")))
        XCTAssertEqual(recorder.operations, ["TransactWriteItems"])
        let keys = try bodies(recorder)[0]["TransactItems"].map { items -> [String?] in
            guard case .array(let items) = items else { return [] }
            return items.map { $0["Put"]?["Item"]?["pk"]?["S"]?.string }
        }
        XCTAssertEqual(keys, ["IDEMPOTENCY#braintree#k", "PAYMENT#pay_1", "REFERENCE#braintree#txn_1"])

        recorder.reset()
        XCTAssertEqual(try store.create(payment(id: "pay_2"), idempotencyKey: "k", requestFingerprint: "f2"),
                       .existing(payment(reference: "txn_1"), requestFingerprint: "f"))
        XCTAssertEqual(recorder.operations, ["TransactWriteItems", "GetItem", "GetItem"])
    }

    func testAStaleVersionReturnsFalseAndWritesNothing() throws {
        let (store, recorder) = try recordedStore()
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        let first = try XCTUnwrap(payment().applying(.succeeded, at: start))
        XCTAssertTrue(try store.update(first.payment, expectedVersion: 1, events: [first.event]))
        let before = try rawItems(store)

        recorder.reset()
        let stale = try XCTUnwrap(payment().applying(.canceled, at: start.addingTimeInterval(5)))
        XCTAssertFalse(try store.update(stale.payment, expectedVersion: 1, events: [stale.event]))
        XCTAssertEqual(recorder.operations, ["TransactWriteItems"], "refused by its condition, not retried")
        XCTAssertEqual(try rawItems(store), before, "no item changed, no outbox item added")
    }

    func testConcurrentUpdatesOfOneVersionHaveExactlyOneWinner() throws {
        let server = try MotoServer.shared()
        let table = try Moto.freshStore(server: server).tableName
        // Each writer has its own connection and thread. moto, unlike DynamoDB, does not isolate transactions:
        // it applies one item by item without a lock and undoes a failed one by restoring a copy of the whole
        // table taken when it began, which can erase a transaction that committed meanwhile (seen here: a
        // winner's write undone). So the exchanges with moto take turns, as DynamoDB's serializable
        // transactions would make them; everything on our side of the wire runs concurrently.
        let turns = NSLock()
        let writers = (0..<2).map { _ in
            DynamoDBPaymentStore(client: Moto.client(.dynamoDB, server: server, http: TakingTurnsHTTPClient(lock: turns)), tableName: table)
        }
        for round in 0..<5 {
            let id = "pay_race_\(round)"
            _ = try writers[0].create(payment(id: id), idempotencyKey: "k\(round)", requestFingerprint: "f")
            let changes = [PaymentFact.succeeded, .canceled].map { payment(id: id).applying($0, at: start)! }
            let results = ResultBox<Bool>(count: 2)
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                results.set(index, Result<Bool, Error> { try writers[index].update(changes[index].payment, expectedVersion: 1, events: [changes[index].event]) })
            }
            let outcomes = try results.values.map { try $0.get() }
            XCTAssertEqual(outcomes.filter { $0 }.count, 1, "round \(round): \(outcomes)")
            let winner = try XCTUnwrap(outcomes.firstIndex(of: true))
            XCTAssertEqual(try writers[0].payment(id: id), changes[winner].payment)
            let outbox = try writers[0].unpublishedEvents(limit: 100).filter { $0.detail.paymentId == id }
            XCTAssertEqual(outbox, [changes[winner].event], "only the winner's event")
        }
    }

    func testTheStreamCarriesTheOutboxInsertWithTheEventJSON() throws {
        let server = try MotoServer.shared()
        let store = try Moto.freshStore(server: server)
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        let change = try XCTUnwrap(payment().applying(.succeeded, at: start))
        XCTAssertTrue(try store.update(change.payment, expectedVersion: 1, events: [change.event]))

        // Read the way Lambda's event source mapping reads a stream.
        let streams = store.client.forService(.dynamoDBStreams)
        let table = try store.client.call("DescribeTable", .object(["TableName": .s(store.tableName)]))["Table"]
        XCTAssertEqual(table?["StreamSpecification"]?["StreamViewType"]?.string, "NEW_AND_OLD_IMAGES")
        let streamARN = try XCTUnwrap(table?["LatestStreamArn"]?.string)
        let description = try streams.call("DescribeStream", .object(["StreamArn": .s(streamARN)]))
        let shardID = try XCTUnwrap(description["StreamDescription"]?["Shards"]?[0]?["ShardId"]?.string)
        let iterator = try XCTUnwrap(streams.call("GetShardIterator", .object([
            "StreamArn": .s(streamARN), "ShardId": .s(shardID), "ShardIteratorType": .s("TRIM_HORIZON"),
        ]))["ShardIterator"]?.string)
        guard case .array(let records)? = try streams.call("GetRecords", .object(["ShardIterator": .s(iterator)]))["Records"] else {
            return XCTFail("no Records")
        }
        let summary = records.map { ($0["eventName"]?.string ?? "", $0["dynamodb"]?["Keys"]?["pk"]?["S"]?.string ?? "") }
        XCTAssertEqual(summary.map { "\($0.0) \($0.1)" }, [
            "INSERT IDEMPOTENCY#braintree#k", "INSERT PAYMENT#pay_1",
            "MODIFY PAYMENT#pay_1", "INSERT OUTBOX#pay_1-v2",
        ])
        let outbox = try XCTUnwrap(records.last?["dynamodb"]?["NewImage"])
        XCTAssertEqual(outbox["type"]?["S"]?.string, "outbox")
        XCTAssertEqual(outbox["detailType"]?["S"]?.string, "PaymentSucceeded")
        XCTAssertEqual(outbox["event"]?["S"]?.string, String(decoding: try change.event.json(), as: UTF8.self))
        XCTAssertEqual(try PaymentEvent(json: Array((outbox["event"]?["S"]?.string ?? "").utf8)), change.event)
        let modified = records[2]["dynamodb"]
        XCTAssertEqual(modified?["OldImage"]?["progress"]?["S"]?.string, "pending")
        XCTAssertEqual(modified?["NewImage"]?["progress"]?["S"]?.string, "succeeded")
    }

    func testTheItemsAreLaidOutAsDocumented() throws {
        let store = try Moto.freshStore(server: MotoServer.shared())
        var full = payment(reference: "txn_1")
        full.customerEmail = "a@example.com"
        full.failure = .init(kind: .declined, code: "2001", message: "Insufficient Funds")
        full.attemptStartedAt = start.addingTimeInterval(0.25)
        _ = try store.create(full, idempotencyKey: "key#with#hashes", requestFingerprint: "fp")
        let change = try XCTUnwrap(full.applying(.refunded(totalMinorUnits: 700), at: start.addingTimeInterval(60)))
        XCTAssertTrue(try store.update(change.payment, expectedVersion: 1, events: [change.event]))

        let items = try rawItems(store)
        XCTAssertEqual(items["PAYMENT#pay_1"], [
            "pk": "S:PAYMENT#pay_1", "type": "S:payment", "id": "S:pay_1", "orderId": "S:ord_1", "provider": "S:braintree",
            "providerReference": "S:txn_1", "amount": "N:2000", "currency": "S:USD", "progress": "S:succeeded",
            "refundedAmount": "N:700", "dispute": "S:none", "status": "S:partially_refunded", "customerEmail": "S:a@example.com",
            "failureKind": "S:declined", "failureCode": "S:2001", "failureMessage": "S:Insufficient Funds",
            "attemptStartedAt": "N:1764000000250", "createdAt": "N:1764000000000", "updatedAt": "N:1764000060000", "version": "N:2",
        ])
        XCTAssertEqual(items["IDEMPOTENCY#braintree#key#with#hashes"], [
            "pk": "S:IDEMPOTENCY#braintree#key#with#hashes", "type": "S:idempotency", "paymentId": "S:pay_1", "fingerprint": "S:fp",
        ])
        XCTAssertEqual(items["REFERENCE#braintree#txn_1"], ["pk": "S:REFERENCE#braintree#txn_1", "type": "S:reference", "paymentId": "S:pay_1"])
        XCTAssertEqual(items["OUTBOX#pay_1-v2"], [
            "pk": "S:OUTBOX#pay_1-v2", "type": "S:outbox", "paymentId": "S:pay_1", "detailType": "S:PaymentPartiallyRefunded",
            "event": "S:" + String(decoding: try change.event.json(), as: UTF8.self),
        ])
        XCTAssertEqual(items.count, 4)
    }

    func testTheTableDefinitionIsHashKeyOnlyOnDemandWithBothImagesStreamed() throws {
        XCTAssertEqual(JSONWriter.string(DynamoDBTableDefinition(tableName: "payments").createTableRequest), """
            {"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"BillingMode":"PAY_PER_REQUEST",\
            "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],\
            "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"},"TableName":"payments"}
            """)
        let store = try Moto.freshStore(server: MotoServer.shared())
        let definition = DynamoDBTableDefinition(tableName: store.tableName)
        XCTAssertNotNil(try definition.create(using: store.client), "creating it again is fine and answers the stream")
    }

    func testARequestDynamoDBRefusesIsAClearStoreErrorAndChangesNothing() throws {
        let store = try Moto.freshStore(server: MotoServer.shared())
        _ = try store.create(payment(), idempotencyKey: "k", requestFingerprint: "f")
        let change = try XCTUnwrap(payment().applying(.succeeded, at: start))
        // The same event twice puts one item twice in one transaction, which DynamoDB refuses.
        XCTAssertThrowsError(try store.update(change.payment, expectedVersion: 1, events: [change.event, change.event])) { error in
            XCTAssertTrue(error is StoreError, "\(type(of: error)): \(error)")
            XCTAssertTrue("\(error)".contains("refused the update of payment pay_1"), "\(error)")
        }
        XCTAssertEqual(try store.payment(id: "pay_1"), payment())

        let missing = DynamoDBPaymentStore(client: store.client, tableName: "no-such-table")
        XCTAssertThrowsError(try missing.payment(id: "pay_1")) { error in
            XCTAssertEqual((error as? AWSError)?.type, "ResourceNotFoundException", "\(error)")
        }
    }

    /// Every item of the table as `name: "S:value"` maps, by key.
    func rawItems(_ store: DynamoDBPaymentStore) throws -> [String: [String: String]] {
        let answer = try store.client.call("Scan", .object(["TableName": .s(store.tableName), "ConsistentRead": .bool(true)]))
        guard case .array(let items)? = answer["Items"] else { return [:] }
        var result: [String: [String: String]] = [:]
        for case .object(let item) in items {
            var flat: [String: String] = [:]
            for (name, value) in item {
                guard case .object(let typed) = value, let (type, inner) = typed.first else { continue }
                flat[name] = "\(type):\(inner.string ?? JSONWriter.string(inner))"
            }
            result[flat["pk"].map { String($0.dropFirst(2)) } ?? ""] = flat
        }
        return result
    }
}

/// Results written by concurrent workers, one slot each.
final class ResultBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, Error>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<Value, Error>) { lock.withLock { slots[index] = value } }
    var values: [Result<Value, Error>] { lock.withLock { slots.map { $0! } } }
}
