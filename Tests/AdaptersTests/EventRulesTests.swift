import Foundation
import XCTest
import EventRules
import PaymentsCore
import Platform

/// The routing rules as DESIGN.md states them: Delivery gets the success, refund and dispute events;
/// Notification gets every payment event; nothing else reaches either.
final class EventRulesTests: XCTestCase {
    func testDeliveryGetsSuccessRefundsAndDisputesAndNotificationGetsEveryPaymentEvent() throws {
        let rules = try EventRules.bundled()
        let forDelivery: Set<PaymentStatus> = [.succeeded, .partiallyRefunded, .refunded, .disputed, .disputeWon, .disputeLost]
        for status in PaymentStatus.allCases {
            let targets = rules.targets(source: PaymentEvent.source, detailType: status.eventDetailType)
            XCTAssertEqual(targets.contains("delivery"), forDelivery.contains(status), "\(status)")
            XCTAssertTrue(targets.contains("notification"), "\(status)")
        }
        XCTAssertEqual(rules.targets(source: "shop.delivery", detailType: "PaymentSucceeded"), [])
        XCTAssertEqual(rules.targets(source: "shop.payments", detailType: "ShipmentRequested"), [])
    }

    func testThePatternIsTheFilesJSONVerbatimAndUnknownMatchersAreRefused() throws {
        let rules = try EventRules.bundled()
        XCTAssertEqual(rules.rules.map(\.name), ["payments-to-delivery", "payments-to-notification"])
        XCTAssertEqual(rules.rules[1].patternJSON, #"{"detail-type":[{"prefix":"Payment"}],"source":["shop.payments"]}"#)
        let numeric = Data(#"{"rules":[{"name":"x","target":"t","pattern":{"detail":{"amount":[{"numeric":[">",0]}]}}}]}"#.utf8)
        XCTAssertThrowsError(try EventRules(json: numeric)) { XCTAssertTrue("\($0)".contains("does not understand 'detail'")) }
    }
}
