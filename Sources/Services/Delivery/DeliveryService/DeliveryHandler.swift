import PaymentsCore
import Platform

/// The `delivery` function: SQS batches of payment events (EventBridge envelopes), each applied to
/// its order's shipment. Answers with a partial batch response: a record that fails (a store error,
/// retried; or a record that can never be read, which lands in the dead-letter queue after the
/// queue's maxReceiveCount) is reported alone and never holds back the records behind it.
///
/// Idempotent on the event id and on the order: a repeat finds the event's marker and does nothing,
/// and since the shipment's state is a join, an event that adds nothing changes nothing anyway.
public struct DeliveryHandler: SQSBatchHandler {
    public var store: any ShipmentStore
    public var clock: any WallClock
    public init(store: any ShipmentStore, clock: any WallClock) {
        self.store = store
        self.clock = clock
    }

    public func handle(_ batch: SQSBatch, context: InvocationContext) throws -> BatchResponse {
        batch.processEach(logger: context.logger) { try process($0, logger: context.logger) }
    }

    func process(_ message: SQSBatch.Message, logger: Logger) throws {
        let event = try PaymentEvent(envelope: EventBridgeEnvelope(sqsBody: message.body))
        let fields = ["eventId": event.id, "orderId": event.detail.orderId, "detailType": event.detailType]
        guard ShipmentState.implied(by: event.detail) != nil else {
            logger.info("payment event says nothing about shipping; acknowledged", fields)
            return
        }
        if try store.hasProcessed(eventID: event.id) {
            logger.info("payment event already processed; acknowledged", fields)
            return
        }
        // Optimistic: another delivery for the same order may store first; read again and re-join.
        for _ in 0..<5 {
            let current = try store.shipment(orderID: event.detail.orderId)
            guard let change = Shipment.applying(event, to: current, at: clock.now()) else {
                logger.info("payment event adds nothing to the shipment; acknowledged", fields)
                return
            }
            switch try store.save(change.shipment, expectedVersion: current?.version, processedEventID: event.id, events: change.events) {
            case .saved:
                logger.info("shipment stored", fields.merging([
                    "shipmentId": change.shipment.shipmentID, "status": change.shipment.status.rawValue,
                    "published": change.events.map(\.detailType).joined(separator: ","),
                ]) { $1 })
                return
            case .alreadyProcessed:
                logger.info("payment event already processed; acknowledged", fields)
                return
            case .versionConflict:
                continue
            }
        }
        throw StoreError("the shipment of order \(event.detail.orderId) kept changing; the record is retried")
    }
}
