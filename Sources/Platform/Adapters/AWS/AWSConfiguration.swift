import Platform

/// Where and as whom AWS is called, from the standard environment variables Lambda sets.
public struct AWSConfiguration: Sendable, Equatable {
    public var region: String
    public var credentials: AWSCredentials
    /// `AWS_ENDPOINT_URL`: one endpoint for every service (a local emulator). Nil means AWS itself.
    public var endpointOverride: String?

    public init(region: String, credentials: AWSCredentials, endpointOverride: String? = nil) {
        self.region = region
        self.credentials = credentials
        self.endpointOverride = endpointOverride.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// `AWS_REGION` (Lambda's name) or else `AWS_DEFAULT_REGION` (the CLI's), the credentials, and
    /// `AWS_ENDPOINT_URL` when set. Empty values count as unset. The error names the variable, never a value.
    public static func fromEnvironment(_ environment: [String: String]) throws(AWSCredentials.MissingVariable) -> AWSConfiguration {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") else {
            throw AWSCredentials.MissingVariable(name: "AWS_REGION")
        }
        return AWSConfiguration(region: region, credentials: try AWSCredentials.fromEnvironment(environment),
                                endpointOverride: value("AWS_ENDPOINT_URL"))
    }

    /// Refuses an `AWS_ENDPOINT_URL` that is not https outside loopback: signed requests and their
    /// answers (customers' data, secrets) would cross the network in clear text.
    package func checkEndpoint() throws(ConfigurationError) {
        guard let endpointOverride, OutboundHTTPPolicy.refusal(of: endpointOverride) != nil else { return }
        throw ConfigurationError("AWS_ENDPOINT_URL must be an https URL (http only to 127.0.0.1, ::1 or localhost)")
    }

    /// The URL requests to `service` are posted to.
    public func endpoint(for service: AWSService) -> String {
        endpoint(hostPrefix: service.hostPrefix)
    }

    /// The endpoint of any service by its host's first labels (`sns`, `email` for SES).
    public func endpoint(hostPrefix: String) -> String {
        endpointOverride ?? "https://\(hostPrefix).\(region).amazonaws.com"
    }
}
