/// The parts of a Stripe event (https://docs.stripe.com/api/events/object) that move a payment.
struct StripeEvent: Decodable {
    var id: String
    var type: String
    var data: EventData

    struct EventData: Decodable {
        var object: StripeObject
    }

    /// A PaymentIntent, Charge or Dispute: the fields the handled event types use.
    struct StripeObject: Decodable {
        var id: String?
        var object: String?
        var amount: Int?
        var amount_refunded: Int?
        var currency: String?
        var status: String?
        var payment_intent: String?
        var metadata: [String: String]?
    }
}
