import Platform

/// Reads parameters from SSM Parameter Store: `GetParameter` with `WithDecryption`, so a SecureString
/// comes back as its plain value (KMS decrypts it for a caller allowed `kms:Decrypt`).
/// Its errors name the parameter and never hold a value.
public struct SSMParameterStore: Sendable {
    public var client: AWSJSONClient

    public init(client: AWSJSONClient) {
        self.client = client.forService(.ssm)
    }

    public enum ReadError: Error, CustomStringConvertible, Sendable {
        case notFound(parameter: String)
        case accessDenied(parameter: String, AWSError)
        case failed(parameter: String, AWSError)
        case malformed(parameter: String)

        public var description: String {
            switch self {
            case .notFound(let name): "SSM parameter \(name) does not exist"
            case .accessDenied(let name, let error): "reading SSM parameter \(name) is not allowed (\(error.type)): grant ssm:GetParameter on it and kms:Decrypt on its key"
            case .failed(let name, let error): "reading SSM parameter \(name) failed: \(error)"
            case .malformed(let name): "SSM's answer for parameter \(name) has no Parameter.Value"
            }
        }
    }

    /// The decrypted value of `name` (a name such as `/shop/SETTING_NAME`, or its ARN).
    public func value(of name: String) throws(ReadError) -> String {
        let answer: JSONValue
        do {
            answer = try client.call("GetParameter", .object(["Name": .string(name), "WithDecryption": .bool(true)]))
        } catch {
            switch error.type {
            case "ParameterNotFound", "ParameterVersionNotFound": throw .notFound(parameter: name)
            case "AccessDeniedException", "AccessDenied", "UnrecognizedClientException", "InvalidClientTokenId",
                 "KMSAccessDeniedException", "KMS.AccessDeniedException":
                throw .accessDenied(parameter: name, error)
            default: throw .failed(parameter: name, error)
            }
        }
        guard let value = answer["Parameter"]?["Value"]?.string else { throw .malformed(parameter: name) }
        return value
    }
}
