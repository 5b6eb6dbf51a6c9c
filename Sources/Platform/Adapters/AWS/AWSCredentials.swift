import Platform

/// The keys AWS calls are signed with. Printing, dumping or interpolating them shows the access key id
/// (an identifier AWS itself puts in every Authorization header) but never the secret or the session token.
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Present for temporary credentials (a Lambda function's role, `aws sts assume-role`).
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, if set, `AWS_SESSION_TOKEN`, as Lambda provides them.
    /// An empty value counts as missing: signing with an empty key only fails later, at AWS, less clearly.
    public static func fromEnvironment(_ environment: [String: String]) throws(MissingVariable) -> AWSCredentials {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let accessKeyID = value("AWS_ACCESS_KEY_ID") else { throw MissingVariable(name: "AWS_ACCESS_KEY_ID") }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else { throw MissingVariable(name: "AWS_SECRET_ACCESS_KEY") }
        return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
    }

    /// A required variable is unset or empty. Names the variable, never a value.
    public struct MissingVariable: Error, CustomStringConvertible, Sendable, Equatable {
        public let name: String
        public var description: String { "\(name) is not set" }
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(sessionToken == nil ? "none" : "<redacted>"))"
    }

    public var debugDescription: String { description }

    // `dump` and debuggers read the mirror, not the description: without this they would print the stored secret.
    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "secretAccessKey": "<redacted>",
                                "sessionToken": sessionToken == nil ? "none" : "<redacted>"],
               displayStyle: .struct)
    }
}
