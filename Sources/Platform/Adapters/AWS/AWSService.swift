import Platform

/// A JSON-protocol AWS service: how its requests are addressed, named and signed.
/// (SNS speaks the query protocol and is not one of these.)
public struct AWSService: Sendable, Equatable {
    /// The credential scope's service name, e.g. `dynamodb` (DynamoDB Streams signs as `dynamodb` too).
    public var signingName: String
    /// The `X-Amz-Target` prefix: `DynamoDB_20120810` makes `DynamoDB_20120810.GetItem`.
    public var targetPrefix: String
    /// `application/x-amz-json-1.0` or `-1.1`.
    public var contentType: String
    /// The regional endpoint's first labels: `dynamodb` gives `https://dynamodb.eu-west-1.amazonaws.com`.
    public var hostPrefix: String

    public init(signingName: String, targetPrefix: String, contentType: String, hostPrefix: String) {
        self.signingName = signingName
        self.targetPrefix = targetPrefix
        self.contentType = contentType
        self.hostPrefix = hostPrefix
    }

    public static let dynamoDB = AWSService(
        signingName: "dynamodb", targetPrefix: "DynamoDB_20120810", contentType: "application/x-amz-json-1.0", hostPrefix: "dynamodb")
    public static let dynamoDBStreams = AWSService(
        signingName: "dynamodb", targetPrefix: "DynamoDBStreams_20120810", contentType: "application/x-amz-json-1.0",
        hostPrefix: "streams.dynamodb")
    public static let eventBridge = AWSService(
        signingName: "events", targetPrefix: "AWSEvents", contentType: "application/x-amz-json-1.1", hostPrefix: "events")
    /// Systems Manager, for Parameter Store's `GetParameter` (the functions' secrets).
    public static let ssm = AWSService(
        signingName: "ssm", targetPrefix: "AmazonSSM", contentType: "application/x-amz-json-1.1", hostPrefix: "ssm")
    public static let sqs = AWSService(
        signingName: "sqs", targetPrefix: "AmazonSQS", contentType: "application/x-amz-json-1.0", hostPrefix: "sqs")
}
