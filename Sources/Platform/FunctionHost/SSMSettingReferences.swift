import AWSClients
import Platform

/// The settings whose value names an SSM parameter instead of holding a secret: `ssm:PARAMETER_NAME`, e.g.
/// `SOME_SECRET=ssm:/shop/SOME_SECRET`. In AWS the environment (and so Terraform's
/// state and the deployment bucket) holds only such names; the function reads the values at start.
public struct SSMSettingReferences: Sendable, Equatable {
    public static let prefix = "ssm:"

    /// Setting name → parameter name.
    public let parameters: [String: String]

    public init(environment: [String: String]) throws(ConfigurationError) {
        var parameters: [String: String] = [:]
        for (setting, value) in environment where value.hasPrefix(Self.prefix) {
            let name = String(value.dropFirst(Self.prefix.count))
            guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "," }) else {
                throw ConfigurationError("\(setting) must be ssm:PARAMETER_NAME (a parameter name such as /shop/\(setting))")
            }
            parameters[setting] = name
        }
        self.parameters = parameters
    }

    public var isEmpty: Bool { parameters.isEmpty }

    /// Every referenced setting's value, read with `read`. A parameter that cannot be read is an error
    /// naming the setting and the parameter, never a value.
    public func resolve(_ read: (String) throws(SSMParameterStore.ReadError) -> String) throws(ConfigurationError) -> [String: String] {
        var values: [String: String] = [:]
        for (setting, parameter) in parameters.sorted(by: { $0.key < $1.key }) {
            do {
                values[setting] = try read(parameter)
            } catch {
                throw ConfigurationError("\(setting): \(error)")
            }
        }
        return values
    }
}
