import Platform

/// An RFC 9457 problem: every 4xx and 5xx answer is one, as `application/problem+json`.
public struct Problem: Error, Codable, Sendable, Equatable {
    /// A relative URI naming the kind of problem, e.g. "/problems/invalid-signature".
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    /// Set when the problem concerns a payment that exists (a declined create).
    public var paymentId: String?

    public init(status: Int, slug: String, title: String, detail: String, paymentId: String? = nil) {
        self.type = "/problems/\(slug)"
        self.title = title
        self.status = status
        self.detail = detail
        self.paymentId = paymentId
    }

    public var response: APIGatewayV2Response {
        let body = (try? JSON.encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"title":"Internal error","status":500}"#
        return APIGatewayV2Response(statusCode: status, headers: ["content-type": "application/problem+json"], body: body)
    }

    public static func badRequest(_ slug: String, _ detail: String) -> Problem {
        Problem(status: 400, slug: slug, title: "Bad request", detail: detail)
    }

    public static func unprocessable(_ slug: String, _ detail: String) -> Problem {
        Problem(status: 422, slug: slug, title: "Unprocessable request", detail: detail)
    }

    public static func bodyTooLarge(limit: Int, what: String) -> Problem {
        Problem(status: 413, slug: "body-too-large", title: "Payload too large", detail: "\(what) are limited to \(limit) bytes.")
    }

    /// Names where the card data is, never the data itself.
    package static func cardDataRefused(in field: String) -> Problem {
        unprocessable("card-data-refused", "\(field.prefix(1).uppercased() + field.dropFirst()) holds card data (a card number or a card field). Only provider tokens are accepted: collect cards with the provider's client SDK and send its token as 'paymentMethod'.")
    }
}
