/// A DynamoDB stream event as Lambda's event source mapping delivers it (and as the CLI's `relay`
/// builds it from GetRecords): `{"Records":[{"eventID","eventName","dynamodb":{"Keys","NewImage",
/// "OldImage","SequenceNumber"},"eventSourceARN"}]}`. Images keep DynamoDB's attribute-value JSON.
public struct DynamoDBStreamBatch: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        public enum Change: String, Sendable { case insert = "INSERT", modify = "MODIFY", remove = "REMOVE" }
        public var eventID: String
        public var change: Change
        /// The item's position in its shard: what a partial batch response names.
        public var sequenceNumber: String
        public var keys: [String: JSONValue]
        public var newImage: [String: JSONValue]?
        public var oldImage: [String: JSONValue]?

        public init(eventID: String, change: Change, sequenceNumber: String, keys: [String: JSONValue],
                    newImage: [String: JSONValue]? = nil, oldImage: [String: JSONValue]? = nil) {
            self.eventID = eventID
            self.change = change
            self.sequenceNumber = sequenceNumber
            self.keys = keys
            self.newImage = newImage
            self.oldImage = oldImage
        }

        /// A string attribute of the new image (`{"S": "…"}`).
        public func newString(_ name: String) -> String? { newImage?[name]?["S"]?.string }
    }

    public var records: [Record]

    public init(records: [Record]) { self.records = records }

    public init(event bytes: [UInt8]) throws(InvalidEventError) {
        records = try EventRecords.read(bytes, shape: "a DynamoDB stream batch").map(Self.record)
    }

    /// One record of a Lambda event, or of a GetRecords answer (the same shape).
    public static func record(_ json: JSONValue) throws(InvalidEventError) -> Record {
        guard let id = json["eventID"]?.string else { throw InvalidEventError("a stream record has no 'eventID'", shape: "a DynamoDB stream batch") }
        guard let name = json["eventName"]?.string, let change = Record.Change(rawValue: name) else {
            throw InvalidEventError("stream record \(id) has no 'eventName' INSERT, MODIFY or REMOVE", shape: "a DynamoDB stream batch")
        }
        guard case .object(let item)? = json["dynamodb"], let sequence = item["SequenceNumber"]?.string else {
            throw InvalidEventError("stream record \(id) has no 'dynamodb.SequenceNumber'", shape: "a DynamoDB stream batch")
        }
        func image(_ key: String) -> [String: JSONValue]? {
            if case .object(let members)? = item[key] { return members }
            return nil
        }
        return Record(eventID: id, change: change, sequenceNumber: sequence, keys: image("Keys") ?? [:],
                      newImage: image("NewImage"), oldImage: image("OldImage"))
    }
}
