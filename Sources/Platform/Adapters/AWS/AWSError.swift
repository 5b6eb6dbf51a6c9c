import Platform

/// An AWS call that failed: the service's answer (status, error type, message), or a transport failure
/// (status 0) once retries ran out. Its description is safe to log: it never holds request headers,
/// and the message is cut before the canonical request some services echo back.
public struct AWSError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The `X-Amz-Target`, e.g. `DynamoDB_20120810.TransactWriteItems`.
    public var operation: String
    /// The HTTP status; 0 when no answer came (a transport error).
    public var status: Int
    /// The short error type: `ConditionalCheckFailedException`, `ThrottlingException`, `SignatureDoesNotMatch`.
    public var type: String
    public var message: String
    /// For a cancelled `TransactWriteItems`: one code per transaction item, in request order
    /// (`None`, `ConditionalCheckFailed`, `TransactionConflict`, `ValidationError`...).
    public var cancellationReasons: [String]
    /// How many times the request was sent before giving up.
    public var attempts: Int

    public init(operation: String, status: Int, type: String, message: String, cancellationReasons: [String] = [], attempts: Int = 1) {
        self.operation = operation
        self.status = status
        self.type = type
        self.message = message
        self.cancellationReasons = cancellationReasons
        self.attempts = attempts
    }

    public var description: String {
        var text = status == 0 ? "\(operation) failed: \(type): \(message)" : "\(operation) failed with HTTP \(status) \(type): \(message)"
        if !cancellationReasons.isEmpty { text += " (reasons: \(cancellationReasons.joined(separator: ", ")))" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        return text
    }

    /// Error types worth sending again after a pause: the service asked us to slow down, or a
    /// concurrent transaction got in the way. botocore's throttling list plus DynamoDB's own.
    static let throttlingTypes: Set<String> = [
        "ThrottlingException", "Throttling", "ThrottledException", "RequestThrottledException", "RequestThrottled",
        "ProvisionedThroughputExceededException", "RequestLimitExceeded", "TooManyRequestsException",
        "TransactionInProgressException", "SlowDown", "PriorRequestNotComplete", "BandwidthLimitExceeded",
    ]

    public var isThrottling: Bool { Self.throttlingTypes.contains(type) || status == 429 }

    public var isRetryable: Bool {
        if status == 0 || status >= 500 || isThrottling { return true }
        return type == "TransactionCanceledException" && cancellationReasons.contains("TransactionConflict")
    }
}

extension AWSError {
    /// The error a non-2xx answer describes. JSON services put the type in `__type` (after the last `#`) or
    /// the `x-amzn-ErrorType` header; an error from the signing front end may come as XML even for them.
    /// `redacting` lists strings that must never appear in the message (the secret, the token, the signature).
    static func from(response: HTTPResponse, operation: String, redacting secrets: [String] = []) -> AWSError {
        var type = ""
        var message = ""
        var reasons: [String] = []
        if let json = try? JSONValue(parsing: response.body) {
            type = json["__type"]?.string ?? json["code"]?.string ?? json["Code"]?.string ?? ""
            message = json["message"]?.string ?? json["Message"]?.string ?? ""
            if case .array(let items)? = json["CancellationReasons"] {
                reasons = items.map { $0["Code"]?.string ?? "None" }
            }
        } else {
            let text = String(decoding: response.body, as: UTF8.self)
            type = xmlElement("Code", in: text) ?? ""
            message = xmlElement("Message", in: text) ?? ""
        }
        if type.isEmpty, let header = response.header("x-amzn-errortype") {
            type = String(header.prefix { $0 != ":" })
        }
        if let hash = type.lastIndex(of: "#") { type = String(type[type.index(after: hash)...]) }
        if type.isEmpty { type = "HTTP\(response.status)" }
        return AWSError(operation: operation, status: response.status, type: type,
                        message: safeMessage(message, redacting: secrets), cancellationReasons: reasons)
    }

    /// A message fit for a log line. AWS's SignatureDoesNotMatch may continue with the canonical request
    /// and string to sign it expected, which hold header values (a session token): that part is dropped.
    static func safeMessage(_ message: String, redacting secrets: [String]) -> String {
        var text = message
        for marker in ["The Canonical String for this request", "The String-to-Sign should have been", "<CanonicalRequest>", "<StringToSign>"] {
            if let range = text.firstRange(of: marker) { text = String(text[..<range.lowerBound]) }
        }
        for secret in secrets where secret.count >= 4 {
            text = text.replacing(secret, with: "<redacted>")
        }
        text = String(text.unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) })
        if text.count > 300 { text = String(text.prefix(300)) + "…" }
        return String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// The text of the first `<name>…</name>`, entities decoded; enough for AWS's flat error documents.
    static func xmlElement(_ name: String, in text: String) -> String? {
        guard let open = text.firstRange(of: "<\(name)>"),
              let close = text[open.upperBound...].firstRange(of: "</\(name)>") else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
            .replacing("&lt;", with: "<").replacing("&gt;", with: ">")
            .replacing("&quot;", with: "\"").replacing("&apos;", with: "'")
            .replacing("&amp;", with: "&")
    }
}
