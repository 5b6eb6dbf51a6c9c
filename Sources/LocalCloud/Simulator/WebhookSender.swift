import Foundation
import PaymentsCore
import Platform

/// `payments simulate PROVIDER send`: reads the payment from the local gateway, makes the scenario's
/// signed deliveries and POSTs each to `{gateway}/webhooks/{provider}`.
public struct WebhookSender: Sendable {
    public var gateway: String
    public var client: any HTTPClient

    public init(gateway: String, client: any HTTPClient) {
        self.gateway = gateway.hasSuffix("/") ? String(gateway.dropLast()) : gateway
        self.client = client
    }

    public struct Delivered: Sendable {
        public var label: String
        public var status: Int
        public var body: String
    }

    /// `GET {gateway}/payments/{id}`.
    public func payment(_ id: String) throws(SimulatorError) -> SimulatedPayment {
        let url = "\(gateway)/payments/\(FormURLEncoding.escape(id))"
        let response: HTTPResponse
        do {
            response = try client.send(HTTPRequest(method: "GET", url: url, headers: [("Accept", "application/json")], timeout: 10, isIdempotent: true))
        } catch {
            throw SimulatorError("GET \(url) failed: \(error). Is the local stack (payments serve) running there?")
        }
        guard response.status == 200 else {
            throw SimulatorError("GET \(url) answered \(response.status): \(String(decoding: response.body.prefix(500), as: UTF8.self))")
        }
        guard let payment = try? JSONDecoder().decode(SimulatedPayment.self, from: Data(response.body)) else {
            throw SimulatorError("GET \(url) answered a body that is not a payment.")
        }
        return payment
    }

    /// POSTs each delivery in turn and reports each answer; stops at the first transport error.
    public func deliver(_ deliveries: [SimulatedDelivery], provider: String,
                        report: (Delivered) -> Void = { _ in }) throws(SimulatorError) -> [Delivered] {
        let url = "\(gateway)/webhooks/\(provider)"
        var results: [Delivered] = []
        for delivery in deliveries {
            let response: HTTPResponse
            do {
                response = try client.send(HTTPRequest(method: "POST", url: url, headers: delivery.headers, body: delivery.body, timeout: 30))
            } catch {
                throw SimulatorError("POST \(url) failed: \(error)")
            }
            let result = Delivered(label: delivery.label, status: response.status, body: String(decoding: response.body.prefix(2000), as: UTF8.self))
            report(result)
            results.append(result)
        }
        return results
    }
}
