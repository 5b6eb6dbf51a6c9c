import Platform

/// Amazon SNS over its query protocol (form-encoded `Action=…&Version=2010-03-31`, XML answers), which is
/// all SNS speaks: `Publish` to a phone number for the SMS channel, and the topic and subscription calls
/// the CLI's `aws init` makes. Signed and retried by the shared client (SigV4 service `sns`).
public struct SNSClient: Sendable {
    public var client: AWSJSONClient

    public static let version = "2010-03-31"

    public init(client: AWSJSONClient) { self.client = client }

    /// Calls `action` with `parameters` (in order; the list form `Attributes.entry.1.key` is the caller's)
    /// and answers the XML text of the response.
    public func call(_ action: String, _ parameters: [(String, String)]) throws(AWSError) -> String {
        let body = FormURLEncoding.encode([("Action", action)] + parameters + [("Version", Self.version)])
        let request = HTTPRequest(
            method: "POST", url: client.configuration.endpoint(hostPrefix: "sns") + "/",
            headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(body.utf8), isIdempotent: false)
        let response = try client.send(request, operation: "SNS.\(action)", signingName: "sns")
        return String(decoding: response.body, as: UTF8.self)
    }

    /// Sends an SMS: `Publish` with `PhoneNumber` (E.164). Answers SNS's message id.
    public func publishSMS(to phoneNumber: String, message: String) throws(AWSError) -> String {
        let answer = try call("Publish", [("PhoneNumber", phoneNumber), ("Message", message)])
        guard let id = XMLText.first("MessageId", in: answer) else {
            throw AWSError(operation: "SNS.Publish", status: 200, type: "MalformedResponse", message: "the answer has no MessageId")
        }
        return id
    }
}

/// The text of elements of AWS's small, flat XML answers (query protocol), entities decoded. Enough
/// for `<MessageId>`, `<TopicArn>`, `<SubscriptionArn>`; not a general XML reader.
public enum XMLText {
    public static func first(_ name: String, in text: String) -> String? { all(name, in: text).first }

    public static func all(_ name: String, in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "<\(name)>"), let close = rest[open.upperBound...].firstRange(of: "</\(name)>") {
            found.append(String(rest[open.upperBound..<close.lowerBound])
                .replacing("&lt;", with: "<").replacing("&gt;", with: ">")
                .replacing("&quot;", with: "\"").replacing("&apos;", with: "'")
                .replacing("&amp;", with: "&"))
            rest = rest[close.upperBound...]
        }
        return found
    }
}
