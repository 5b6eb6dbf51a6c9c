#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform

/// The events Delivery publishes (source `shop.delivery`), keyed like payment events.
package enum ShipmentEvents {
    public static let source = "shop.delivery"

    /// The shipment entered its current status from `previous` (nil: the shipment is new).
    public static func transition(_ shipment: Shipment, from previous: ShipmentStatus?, causedBy paymentEventID: String,
                                  at time: Date) -> ServiceEvent {
        var detail: [String: ServiceEvent.Value] = [
            "eventId": .string("\(shipment.shipmentID)-v\(shipment.version)"),
            "shipmentId": .string(shipment.shipmentID),
            "orderId": .string(shipment.orderID),
            "status": .string(shipment.status.rawValue),
            "version": .integer(shipment.version),
            "paymentEventId": .string(paymentEventID),
        ]
        if let payment = shipment.paymentID { detail["paymentId"] = .string(payment) }
        if let previous { detail["previousStatus"] = .string(previous.rawValue) }
        return ServiceEvent(source: source, detailType: shipment.status.eventDetailType, time: time, detail: detail)
    }
}
