/// Where a service keeps its data, as its setting names it: `sqlite:PATH` or `dynamodb:TABLE`
/// (`<SERVICE>_STORE`: one scheme for every service).
public enum StoreSetting: Sendable, Equatable {
    case sqlite(path: String)
    case dynamoDB(table: String)

    /// Reads `environment[name]`, or `defaultValue` when it is unset or empty. The error names the
    /// setting, never its value.
    public init(_ name: String, environment: [String: String], default defaultValue: String) throws(ConfigurationError) {
        let text = environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? defaultValue
        if text.hasPrefix("sqlite:"), text.count > "sqlite:".count {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else if text.hasPrefix("dynamodb:"), text.count > "dynamodb:".count {
            self = .dynamoDB(table: String(text.dropFirst("dynamodb:".count)))
        } else {
            throw ConfigurationError("\(name) must be sqlite:PATH or dynamodb:TABLE")
        }
    }
}
