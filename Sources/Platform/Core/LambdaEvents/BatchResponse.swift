/// Lambda's partial batch response (`ReportBatchItemFailures`): only the listed items are retried,
/// so one bad record neither fails nor repeats the rest of its batch.
public struct BatchResponse: Codable, Sendable, Equatable {
    public struct ItemFailure: Codable, Sendable, Equatable {
        /// The SQS message id, or the DynamoDB stream record's sequence number.
        public var itemIdentifier: String
        public init(itemIdentifier: String) { self.itemIdentifier = itemIdentifier }
    }

    public var batchItemFailures: [ItemFailure]

    public init(failedItems: [String] = []) {
        batchItemFailures = failedItems.map(ItemFailure.init(itemIdentifier:))
    }

    package static let allSucceeded = BatchResponse()
}
