import ArgumentParser
import Foundation
import AWSClients
import EventRules
import FunctionHost
import LocalCloudFunctions
import PaymentsCore
import Platform
import PaymentsStores
import DeliveryService
import NotificationService

struct AWSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws", abstract: "Work with the AWS resources the functions need.", subcommands: [AWSInit.self])
}

struct AWSInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create, idempotently, the table (with its stream), the bus, the consumers' queues and topic, and the routing rules.",
        discussion: """
            Reads PAYMENTS_STORE=dynamodb:TABLE, PAYMENTS_EVENTS=eventbridge:BUS and the standard AWS settings
            (AWS_ENDPOINT_URL points it at an emulator). For Delivery it makes an SQS queue BUS-delivery with a
            dead-letter queue BUS-delivery-dlq (after 5 receives); for Notification an SNS topic BUS-notification
            with one queue per channel subscribed to it (BUS-notification-email, BUS-notification-sms, raw
            message delivery, each with its -dlq); then the rules of events/rules.json on the bus, targeting the
            queue or the topic, and the policies that let them deliver. With DELIVERY_STORE or NOTIFICATION_STORE
            set to dynamodb:TABLE it makes those tables too (with their stream and TTL). Prints what it created
            or found; running it again changes nothing.
            """)

    @Option(help: "Receives before a message moves to its dead-letter queue.")
    var maxReceiveCount = 5

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try PaymentsConfiguration(environment: environment)
        guard case .dynamoDB(let table) = configuration.store else {
            throw ValidationError("Set PAYMENTS_STORE=dynamodb:TABLE: the local SQLite store needs no setup.")
        }
        guard case .eventBridge(let bus) = configuration.events else {
            throw ValidationError("Set PAYMENTS_EVENTS=eventbridge:BUS.")
        }
        let clock = SystemClock()
        let dynamoDB = try AWSJSONClient.fromEnvironment(.dynamoDB, environment: environment, http: ToolingHTTP.client(clock: clock),
                                                         clock: clock, deadline: nil)
        let setup = AWSSetup(dynamoDB: dynamoDB, events: dynamoDB.forService(.eventBridge), sqs: dynamoDB.forService(.sqs),
                             sns: SNSClient(client: dynamoDB), maxReceiveCount: maxReceiveCount)
        // The consumers' own tables, when they are configured on DynamoDB here too.
        var consumerTables: [String] = []
        for (name, fallback) in [("DELIVERY_STORE", DeliveryFunctions.defaultStore), ("NOTIFICATION_STORE", NotificationFunctions.defaultStore)] {
            if case .dynamoDB(let table) = try StoreSetting(name, environment: environment, default: fallback) { consumerTables.append(table) }
        }
        for line in try setup.run(table: table, bus: bus, rules: EventRules.bundled(), consumerTables: consumerTables) {
            print(line)
        }
    }
}

/// The resources, made one by one, each looked up first so that a second run reports "found" and changes nothing.
struct AWSSetup {
    var dynamoDB: AWSJSONClient
    var events: AWSJSONClient
    var sqs: AWSJSONClient
    var sns: SNSClient
    var maxReceiveCount: Int
    /// Targets of the rules that fan out through an SNS topic to one queue per channel, instead of one
    /// queue: Notification's channels.
    var fanOut: [String: [String]] = ["notification": NotificationChannel.allCases.map(\.rawValue)]

    /// Where a rule's events go: a queue, or a topic (with its queues behind it).
    struct Destination {
        var arn: String
        var isTopic: Bool
    }

    func run(table: String, bus: String, rules: EventRules, consumerTables: [String] = []) throws -> [String] {
        var report: [String] = []
        report.append(try ensureTable(table))
        // The webhook transmissions recorded against replays expire with the replay window.
        report.append(try ensureTimeToLive(table, attribute: "expiresAt"))
        for consumerTable in consumerTables {
            report.append(try ensureTable(consumerTable))
            report.append(try ensureTimeToLive(consumerTable, attribute: "expiresAt"))
        }
        report.append(try ensureBus(bus))
        var destinations: [String: Destination] = [:]
        var topicQueues: [String: [(url: String, arn: String)]] = [:]
        for target in Set(rules.rules.map(\.target)).sorted() {
            if let channels = fanOut[target] {
                var queues: [(url: String, arn: String)] = []
                for channel in channels {
                    queues.append(try ensureQueueWithDeadLetter("\(bus)-\(target)-\(channel)", report: &report))
                }
                let topic = try ensureTopic("\(bus)-\(target)", report: &report)
                for (queue, channel) in zip(queues, channels) {
                    try ensureSubscription(topic: topic, queue: queue.arn, name: "\(bus)-\(target)-\(channel)", report: &report)
                    try allowTopic(topic, toSendTo: queue)
                }
                destinations[target] = Destination(arn: topic, isTopic: true)
                topicQueues[target] = queues
            } else {
                let queue = try ensureQueueWithDeadLetter("\(bus)-\(target)", report: &report)
                destinations[target] = Destination(arn: queue.arn, isTopic: false)
                topicQueues[target] = [queue]
            }
        }
        var ruleArns: [String: [String]] = [:]
        for rule in rules.rules where destinations[rule.target] != nil {
            ruleArns[rule.target, default: []].append(try ensureRule(rule, bus: bus, report: &report))
        }
        for (target, arns) in ruleArns {
            guard let destination = destinations[target] else { continue }
            if destination.isTopic {
                try allowRules(arns, toPublishTo: destination.arn)
            } else {
                for queue in topicQueues[target] ?? [] { try allowRules(arns, toSendTo: queue) }
            }
        }
        for rule in rules.rules {
            guard let destination = destinations[rule.target] else { continue }
            let name = destination.isTopic ? "topic \(bus)-\(rule.target)" : "\(bus)-\(rule.target)"
            let targets = try events.call("ListTargetsByRule", .object(["Rule": .string(rule.name), "EventBusName": .string(bus)]))
            var present: [JSONValue] = []
            if case .array(let list)? = targets["Targets"] { present = list }
            if present.contains(where: { $0["Arn"]?.string == destination.arn }) {
                report.append("found   target \(rule.name) -> \(name)")
            } else {
                let answer = try events.call("PutTargets", .object([
                    "Rule": .string(rule.name), "EventBusName": .string(bus),
                    "Targets": .array([.object(["Id": .string(rule.target), "Arn": .string(destination.arn)])]),
                ]))
                if let failed = answer["FailedEntryCount"]?.int, failed > 0 {
                    throw CommandFailure("PutTargets for rule \(rule.name) failed: \(JSONWriter.string(answer))")
                }
                report.append("created target \(rule.name) -> \(name)")
            }
        }
        return report
    }

    /// A queue with its dead-letter queue `NAME-dlq`, which takes a message after `maxReceiveCount` receives.
    func ensureQueueWithDeadLetter(_ name: String, report: inout [String]) throws -> (url: String, arn: String) {
        let deadLetter = try ensureQueue("\(name)-dlq", attributes: [:], report: &report)
        let redrive = #"{"deadLetterTargetArn":"\#(deadLetter.arn)","maxReceiveCount":"\#(maxReceiveCount)"}"#
        return try ensureQueue(name, attributes: ["RedrivePolicy": redrive], report: &report)
    }

    /// The topic's ARN. CreateTopic is itself idempotent; ListTopics first tells "found" from "created".
    func ensureTopic(_ name: String, report: inout [String]) throws -> String {
        var token: String?
        repeat {
            let answer = try sns.call("ListTopics", token.map { [("NextToken", $0)] } ?? [])
            if let arn = XMLText.all("TopicArn", in: answer).first(where: { $0.hasSuffix(":\(name)") }) {
                report.append("found   topic \(name)")
                return arn
            }
            token = XMLText.first("NextToken", in: answer)
        } while token != nil
        guard let arn = XMLText.first("TopicArn", in: try sns.call("CreateTopic", [("Name", name)])) else {
            throw CommandFailure("CreateTopic \(name) answered no TopicArn")
        }
        report.append("created topic \(name)")
        return arn
    }

    /// The queue's subscription to the topic, with raw message delivery: the queue gets EventBridge's
    /// envelope itself, as the Delivery queue does (the function reads SNS's wrapping too).
    func ensureSubscription(topic: String, queue: String, name: String, report: inout [String]) throws {
        var token: String?
        repeat {
            let answer = try sns.call("ListSubscriptionsByTopic", [("TopicArn", topic)] + (token.map { [("NextToken", $0)] } ?? []))
            for member in XMLText.all("member", in: answer) where XMLText.first("Endpoint", in: member) == queue {
                if let subscription = XMLText.first("SubscriptionArn", in: member), subscription.hasPrefix("arn:") {
                    _ = try sns.call("SetSubscriptionAttributes", [
                        ("SubscriptionArn", subscription), ("AttributeName", "RawMessageDelivery"), ("AttributeValue", "true"),
                    ])
                }
                report.append("found   subscription \(name)")
                return
            }
            token = XMLText.first("NextToken", in: answer)
        } while token != nil
        _ = try sns.call("Subscribe", [
            ("TopicArn", topic), ("Protocol", "sqs"), ("Endpoint", queue), ("ReturnSubscriptionArn", "true"),
            ("Attributes.entry.1.key", "RawMessageDelivery"), ("Attributes.entry.1.value", "true"),
        ])
        report.append("created subscription \(name) (raw message delivery)")
    }

    /// The TTL of the payments table's transmission records and of the consumer tables' processed-event
    /// markers and sent-records.
    func ensureTimeToLive(_ table: String, attribute: String) throws -> String {
        let answer = try dynamoDB.call("DescribeTimeToLive", .object(["TableName": .string(table)]))
        let status = answer["TimeToLiveDescription"]?["TimeToLiveStatus"]?.string
        if status == "ENABLED" || status == "ENABLING" { return "found   time to live on \(table).\(attribute)" }
        _ = try dynamoDB.call("UpdateTimeToLive", .object([
            "TableName": .string(table),
            "TimeToLiveSpecification": .object(["Enabled": .bool(true), "AttributeName": .string(attribute)]),
        ]))
        return "created time to live on \(table).\(attribute)"
    }

    /// The topic policy that lets EventBridge publish these rules' events (and nothing else).
    func allowRules(_ ruleArns: [String], toPublishTo topic: String) throws {
        let statements = ruleArns.sorted().enumerated().map { index, arn in
            """
            {"Sid":"events-rule-\(index)","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish",\
            "Resource":"\(topic)","Condition":{"ArnEquals":{"aws:SourceArn":"\(arn)"}}}
            """
        }
        let policy = #"{"Version":"2012-10-17","Statement":[\#(statements.joined(separator: ","))]}"#
        _ = try sns.call("SetTopicAttributes", [("TopicArn", topic), ("AttributeName", "Policy"), ("AttributeValue", policy)])
    }

    /// The queue policy that lets the topic deliver to a channel's queue (and nothing else).
    func allowTopic(_ topic: String, toSendTo queue: (url: String, arn: String)) throws {
        let policy = """
            {"Version":"2012-10-17","Statement":[{"Sid":"sns-topic","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},\
            "Action":"sqs:SendMessage","Resource":"\(queue.arn)","Condition":{"ArnEquals":{"aws:SourceArn":"\(topic)"}}}]}
            """
        _ = try sqs.call("SetQueueAttributes", .object(["QueueUrl": .string(queue.url), "Attributes": .object(["Policy": .string(policy)])]))
    }

    func ensureTable(_ name: String) throws -> String {
        do {
            let table = try dynamoDB.call("DescribeTable", .object(["TableName": .string(name)]))["Table"]
            let stream = table?["StreamSpecification"]?["StreamViewType"]?.string
            guard stream == "NEW_AND_OLD_IMAGES" else {
                throw CommandFailure("table \(name) exists without a NEW_AND_OLD_IMAGES stream; outbox-relay needs one")
            }
            return "found   table \(name) (stream \(stream!))"
        } catch {
            try missing(error) { $0.type == "ResourceNotFoundException" }
            try DynamoDBTableDefinition(tableName: name).create(using: dynamoDB)
            return "created table \(name) (key pk, on demand, stream NEW_AND_OLD_IMAGES)"
        }
    }

    func ensureBus(_ name: String) throws -> String {
        do {
            _ = try events.call("DescribeEventBus", .object(["Name": .string(name)]))
            return "found   bus \(name)"
        } catch {
            try missing(error) { $0.type == "ResourceNotFoundException" }
            _ = try events.call("CreateEventBus", .object(["Name": .string(name)]))
            return "created bus \(name)"
        }
    }

    func ensureQueue(_ name: String, attributes: [String: String], report: inout [String]) throws -> (url: String, arn: String) {
        var url: String
        do {
            url = try sqs.call("GetQueueUrl", .object(["QueueName": .string(name)]))["QueueUrl"]?.string ?? ""
            report.append("found   queue \(name)")
        } catch {
            try missing(error) { $0.type.hasSuffix("NonExistentQueue") || $0.type.hasSuffix("QueueDoesNotExist") }
            url = ""
        }
        if url.isEmpty {
            var request: [String: JSONValue] = ["QueueName": .string(name)]
            if !attributes.isEmpty { request["Attributes"] = .object(attributes.mapValues(JSONValue.string)) }
            url = try sqs.call("CreateQueue", .object(request))["QueueUrl"]?.string ?? ""
            report.append("created queue \(name)")
        } else if !attributes.isEmpty {
            _ = try sqs.call("SetQueueAttributes", .object(["QueueUrl": .string(url), "Attributes": .object(attributes.mapValues(JSONValue.string))]))
        }
        let answer = try sqs.call("GetQueueAttributes", .object(["QueueUrl": .string(url), "AttributeNames": .array([.string("QueueArn")])]))
        guard let arn = answer["Attributes"]?["QueueArn"]?.string else { throw CommandFailure("queue \(name) has no ARN") }
        return (url, arn)
    }

    func ensureRule(_ rule: EventRules.Rule, bus: String, report: inout [String]) throws -> String {
        do {
            let existing = try events.call("DescribeRule", .object(["Name": .string(rule.name), "EventBusName": .string(bus)]))
            if let pattern = existing["EventPattern"]?.string, let arn = existing["Arn"]?.string,
               try JSONValue(parsing: pattern) == JSONValue(parsing: rule.patternJSON) {
                report.append("found   rule \(rule.name) on \(bus)")
                return arn
            }
            report.append("updated rule \(rule.name) on \(bus) (its pattern differed from events/rules.json)")
        } catch {
            try missing(error) { $0.type == "ResourceNotFoundException" }
            report.append("created rule \(rule.name) on \(bus)")
        }
        let answer = try events.call("PutRule", .object([
            "Name": .string(rule.name), "EventBusName": .string(bus), "EventPattern": .string(rule.patternJSON),
            "State": .string("ENABLED"), "Description": .string(rule.description),
        ]))
        guard let arn = answer["RuleArn"]?.string else { throw CommandFailure("PutRule \(rule.name) answered no RuleArn") }
        return arn
    }

    /// The queue policy that lets EventBridge deliver these rules' events (and nothing else).
    func allowRules(_ ruleArns: [String], toSendTo queue: (url: String, arn: String)) throws {
        let statements = ruleArns.sorted().enumerated().map { index, arn in
            """
            {"Sid":"events-rule-\(index)","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sqs:SendMessage",\
            "Resource":"\(queue.arn)","Condition":{"ArnEquals":{"aws:SourceArn":"\(arn)"}}}
            """
        }
        let policy = #"{"Version":"2012-10-17","Statement":[\#(statements.joined(separator: ","))]}"#
        _ = try sqs.call("SetQueueAttributes", .object(["QueueUrl": .string(queue.url), "Attributes": .object(["Policy": .string(policy)])]))
    }

    /// The AWS error of `error` when it is of this type (a lookup's "not found"); otherwise rethrows it.
    func missing(_ error: any Error, _ isMissing: (AWSError) -> Bool) throws {
        guard let aws = error as? AWSError, isMissing(aws) else { throw error }
    }
}
