import Platform

/// Amazon SES v2's `SendEmail` (REST JSON: `POST /v2/email/outbound-emails`, SigV4 service `ses`), for
/// the email channel: a plain-text message from a verified sender. Signed and retried by the shared client.
public struct SESv2Client: Sendable {
    public var client: AWSJSONClient

    public init(client: AWSJSONClient) { self.client = client }

    /// Sends one email; answers SES's message id.
    public func sendEmail(from sender: String, to recipient: String, subject: String, text: String) throws(AWSError) -> String {
        let content: JSONValue = .object([
            "Simple": .object([
                "Subject": .object(["Data": .string(subject), "Charset": .string("UTF-8")]),
                "Body": .object(["Text": .object(["Data": .string(text), "Charset": .string("UTF-8")])]),
            ]),
        ])
        let body = JSONWriter.bytes(.object([
            "FromEmailAddress": .string(sender),
            "Destination": .object(["ToAddresses": .array([.string(recipient)])]),
            "Content": content,
        ]))
        let request = HTTPRequest(
            method: "POST", url: client.configuration.endpoint(hostPrefix: "email") + "/v2/email/outbound-emails",
            headers: [(name: "Content-Type", value: "application/json")], body: body, isIdempotent: false)
        let response = try client.send(request, operation: "SESv2.SendEmail", signingName: "ses")
        let answer: JSONValue
        do {
            answer = try JSONValue(parsing: response.body)
        } catch {
            throw AWSError(operation: "SESv2.SendEmail", status: response.status, type: "MalformedResponse", message: "the answer is not JSON")
        }
        guard let id = answer["MessageId"]?.string else {
            throw AWSError(operation: "SESv2.SendEmail", status: response.status, type: "MalformedResponse", message: "the answer has no MessageId")
        }
        return id
    }
}
