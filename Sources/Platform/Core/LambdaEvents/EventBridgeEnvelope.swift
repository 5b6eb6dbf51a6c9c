#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An event as EventBridge delivers it to a queue (`{"version","id","detail-type","source","account",
/// "time","region","resources","detail"}`), read from an SQS message body: either the envelope itself
/// (a rule targeting the queue, or an SNS subscription with RawMessageDelivery) or an SNS notification
/// wrapping it (`{"Type":"Notification","Message":"<the envelope as a string>",…}`).
///
/// Read with the strict JSON reader: a repeated key, invalid UTF-8 or a field of the wrong type is
/// refused with a reason naming the field, never quoting the content (it may hold a customer's contact).
public struct EventBridgeEnvelope: Sendable, Equatable {
    public var id: String
    public var source: String
    public var detailType: String
    public var time: Date
    public var detail: [String: JSONValue]
    /// True when the body was an SNS notification around the envelope.
    public var viaSNS: Bool

    public init(id: String, source: String, detailType: String, time: Date, detail: [String: JSONValue], viaSNS: Bool = false) {
        self.id = id
        self.source = source
        self.detailType = detailType
        self.time = time
        self.detail = detail
        self.viaSNS = viaSNS
    }

    /// SQS's own limit on a message: a larger body did not come from EventBridge or SNS.
    public static let maximumBodyBytes = 256 * 1024

    public init(sqsBody body: String) throws(UnreadableRecord) {
        let bytes = Array(body.utf8)
        guard bytes.count <= Self.maximumBodyBytes else {
            throw UnreadableRecord("the body is \(bytes.count) bytes, more than SQS's \(Self.maximumBodyBytes)")
        }
        let document = try Self.parse(bytes, what: "the body")
        guard case .object(let object) = document else { throw UnreadableRecord("the body is not a JSON object") }
        if object["Type"] != nil || object["TopicArn"] != nil {
            guard object["Type"]?.string == "Notification" else {
                throw UnreadableRecord("an SNS message of a type other than 'Notification'")
            }
            guard let message = object["Message"]?.string else {
                throw UnreadableRecord("an SNS notification without a string 'Message'")
            }
            guard case .object(let inner) = try Self.parse(Array(message.utf8), what: "the SNS notification's Message") else {
                throw UnreadableRecord("the SNS notification's Message is not a JSON object")
            }
            try self.init(envelope: inner, viaSNS: true)
        } else {
            try self.init(envelope: object, viaSNS: false)
        }
    }

    init(envelope: [String: JSONValue], viaSNS: Bool) throws(UnreadableRecord) {
        func text(_ key: String) throws(UnreadableRecord) -> String {
            guard let value = envelope[key] else { throw UnreadableRecord("the envelope has no '\(key)'") }
            guard let text = value.string, !text.isEmpty else { throw UnreadableRecord("the envelope's '\(key)' is not a non-empty string") }
            return text
        }
        let time = try text("time")
        guard let date = Timestamp.date(time) else { throw UnreadableRecord("the envelope's 'time' is not an RFC 3339 UTC time") }
        guard case .object(let detail)? = envelope["detail"] else { throw UnreadableRecord("the envelope has no 'detail' object") }
        self.init(id: try text("id"), source: try text("source"), detailType: try text("detail-type"), time: date,
                  detail: detail, viaSNS: viaSNS)
    }

    private static func parse(_ bytes: [UInt8], what: String) throws(UnreadableRecord) -> JSONValue {
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw UnreadableRecord("\(what) is not valid JSON: \(error.description)")
        }
    }
}

/// A queued record that can never be processed: reported failed so that after the queue's
/// maxReceiveCount it moves to the dead-letter queue. The reason names the rule, never the content.
public struct UnreadableRecord: Error, CustomStringConvertible, Sendable, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
