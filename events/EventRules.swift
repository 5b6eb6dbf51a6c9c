import Foundation

/// The routing rules of `events/rules.json`: which events reach which service. The one definition,
/// read here by `payments aws init` and the local bus, and by terraform from the same file.
public struct EventRules: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var name: String
        public var description: String
        /// The consuming service: `delivery` or `notification`.
        public var target: String
        /// The EventBridge event pattern, as the JSON text EventBridge takes.
        public var patternJSON: String
        public var pattern: EventPattern
    }

    public var rules: [Rule]

    /// The rules this build was made with.
    public static func bundled() throws -> EventRules {
        guard let url = Bundle.module.url(forResource: "rules", withExtension: "json") else {
            throw EventRulesError("events/rules.json is missing from the build's resources")
        }
        return try EventRules(json: Data(contentsOf: url))
    }

    public init(json: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: json) as? [String: Any],
              let list = root["rules"] as? [[String: Any]] else {
            throw EventRulesError("events/rules.json must hold {\"rules\": [...]}")
        }
        rules = try list.map { entry in
            guard let name = entry["name"] as? String, let target = entry["target"] as? String,
                  let pattern = entry["pattern"] as? [String: Any] else {
                throw EventRulesError("every rule needs a name, a target and a pattern")
            }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: pattern, options: [.sortedKeys]), as: UTF8.self)
            return Rule(name: name, description: entry["description"] as? String ?? "", target: target,
                        patternJSON: text, pattern: try EventPattern(pattern))
        }
    }

    /// The services an event with this source and detail-type reaches, in rule order.
    public func targets(source: String, detailType: String) -> [String] {
        rules.filter { $0.pattern.matches(source: source, detailType: detailType) }.map(\.target)
    }
}

/// The part of EventBridge's pattern language the rules use: `source` and `detail-type`, each a list
/// of exact values or `{"prefix": …}`. Anything else is refused rather than half-understood.
public struct EventPattern: Sendable, Equatable {
    public enum Matcher: Sendable, Equatable {
        case exactly(String)
        case prefix(String)

        func matches(_ value: String) -> Bool {
            switch self {
            case .exactly(let expected): value == expected
            case .prefix(let prefix): value.hasPrefix(prefix)
            }
        }
    }

    public var source: [Matcher]
    public var detailType: [Matcher]

    init(_ pattern: [String: Any]) throws {
        let known: Set<String> = ["source", "detail-type"]
        if let unknown = pattern.keys.first(where: { !known.contains($0) }) {
            throw EventRulesError("the local bus does not understand '\(unknown)' in an event pattern")
        }
        source = try Self.matchers(pattern["source"], field: "source")
        detailType = try Self.matchers(pattern["detail-type"], field: "detail-type")
    }

    static func matchers(_ value: Any?, field: String) throws -> [Matcher] {
        guard let value else { return [] }
        guard let list = value as? [Any] else { throw EventRulesError("'\(field)' in an event pattern must be a list") }
        return try list.map { item in
            if let text = item as? String { return .exactly(text) }
            if let object = item as? [String: String], object.count == 1, let prefix = object["prefix"] { return .prefix(prefix) }
            throw EventRulesError("'\(field)' holds a matcher the local bus does not understand")
        }
    }

    /// An empty list matches anything, as a missing field does in EventBridge.
    public func matches(source: String, detailType: String) -> Bool {
        (self.source.isEmpty || self.source.contains { $0.matches(source) })
            && (self.detailType.isEmpty || self.detailType.contains { $0.matches(detailType) })
    }
}

public struct EventRulesError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
