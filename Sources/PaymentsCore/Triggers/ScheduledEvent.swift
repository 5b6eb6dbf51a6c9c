/// An EventBridge scheduled invocation (`{"id","detail-type":"Scheduled Event","source":"aws.events","time",…}`).
public struct ScheduledEvent: Sendable, Equatable {
    public var id: String
    public var time: String?

    public init(id: String, time: String? = nil) {
        self.id = id
        self.time = time
    }

    public init(event bytes: [UInt8]) throws(InvalidEventError) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw InvalidEventError("the event is not valid JSON: \(error.description)", shape: "an EventBridge scheduled event")
        }
        guard let id = document["id"]?.string, document["detail-type"]?.string == "Scheduled Event" else {
            throw InvalidEventError("it needs an 'id' and the detail-type 'Scheduled Event'", shape: "an EventBridge scheduled event")
        }
        self.init(id: id, time: document["time"]?.string)
    }
}
