import ArgumentParser
import Foundation
import AWSAdapters
import EventRules
import FunctionSupport
import PaymentsCore

struct AWSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws", abstract: "Work with the AWS resources the functions need.", subcommands: [AWSInit.self])
}

struct AWSInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create, idempotently, the table (with its stream), the bus, the consumers' queues and the routing rules.",
        discussion: """
            Reads PAYMENTS_STORE=dynamodb:TABLE, PAYMENTS_EVENTS=eventbridge:BUS and the standard AWS settings
            (AWS_ENDPOINT_URL points it at an emulator). For each target of events/rules.json it makes an SQS
            queue BUS-TARGET with a dead-letter queue BUS-TARGET-dlq (after 5 receives), and a rule on the bus
            sending the matching events to it. Prints what it created or found; running it again changes nothing.
            """)

    @Option(help: "Receives before a message moves to its dead-letter queue.")
    var maxReceiveCount = 5

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try Configuration(environment: environment)
        guard case .dynamoDB(let table) = configuration.store else {
            throw ValidationError("Set PAYMENTS_STORE=dynamodb:TABLE: the local SQLite store needs no setup.")
        }
        guard case .eventBridge(let bus) = configuration.events else {
            throw ValidationError("Set PAYMENTS_EVENTS=eventbridge:BUS.")
        }
        let clock = SystemClock()
        let aws = try AWSConfiguration.fromEnvironment(environment)
        let dynamoDB = AWSJSONClient(service: .dynamoDB, configuration: aws, http: LocalHTTP.client(clock: clock), clock: clock)
        let setup = AWSSetup(dynamoDB: dynamoDB, events: dynamoDB.forService(.eventBridge), sqs: dynamoDB.forService(.sqs),
                             maxReceiveCount: maxReceiveCount)
        for line in try setup.run(table: table, bus: bus, rules: EventRules.bundled()) {
            print(line)
        }
    }
}

/// The resources, made one by one, each looked up first so that a second run reports "found" and changes nothing.
struct AWSSetup {
    var dynamoDB: AWSJSONClient
    var events: AWSJSONClient
    var sqs: AWSJSONClient
    var maxReceiveCount: Int

    func run(table: String, bus: String, rules: EventRules) throws -> [String] {
        var report: [String] = []
        report.append(try ensureTable(table))
        report.append(try ensureBus(bus))
        var queues: [String: (url: String, arn: String)] = [:]
        for target in Set(rules.rules.map(\.target)).sorted() {
            let deadLetter = try ensureQueue("\(bus)-\(target)-dlq", attributes: [:], report: &report)
            let redrive = #"{"deadLetterTargetArn":"\#(deadLetter.arn)","maxReceiveCount":"\#(maxReceiveCount)"}"#
            queues[target] = try ensureQueue("\(bus)-\(target)", attributes: ["RedrivePolicy": redrive], report: &report)
        }
        var ruleArns: [String: [String]] = [:]
        for rule in rules.rules where queues[rule.target] != nil {
            ruleArns[rule.target, default: []].append(try ensureRule(rule, bus: bus, report: &report))
        }
        for (target, arns) in ruleArns { try allowRules(arns, toSendTo: queues[target]!) }
        for rule in rules.rules {
            guard let queue = queues[rule.target] else { continue }
            let targets = try events.call("ListTargetsByRule", .object(["Rule": .string(rule.name), "EventBusName": .string(bus)]))
            var present: [JSONValue] = []
            if case .array(let list)? = targets["Targets"] { present = list }
            if present.contains(where: { $0["Arn"]?.string == queue.arn }) {
                report.append("found   target \(rule.name) -> \(bus)-\(rule.target)")
            } else {
                let answer = try events.call("PutTargets", .object([
                    "Rule": .string(rule.name), "EventBusName": .string(bus),
                    "Targets": .array([.object(["Id": .string(rule.target), "Arn": .string(queue.arn)])]),
                ]))
                if let failed = answer["FailedEntryCount"]?.int, failed > 0 {
                    throw CommandFailure("PutTargets for rule \(rule.name) failed: \(JSONWriter.string(answer))")
                }
                report.append("created target \(rule.name) -> \(bus)-\(rule.target)")
            }
        }
        return report
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
