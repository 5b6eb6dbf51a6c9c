/// An AppSync direct Lambda resolver invocation: one field of a query or mutation (`arguments`,
/// `identity`, `source`, `request.headers`, `info` with `fieldName`, `parentTypeName`, `variables`,
/// `selectionSetList`, `selectionSetGraphQL`), or, for a resolver with batching on, an array of them
/// (`BatchInvoke`), answered with an array of the same length and order.
public struct AppSyncResolverEvent: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var fieldName: String
        public var parentTypeName: String
        public var arguments: [String: JSONValue]
        /// Who called: null for an API key, the caller's IAM identity or Cognito claims otherwise.
        public var identity: JSONValue
        /// The parent object, for a field of a type other than Query and Mutation.
        public var source: JSONValue
        public var headers: [String: String]
        public var variables: [String: JSONValue]
        public var selectionSetList: [String]
        public var selectionSetGraphQL: String?

        public init(fieldName: String, parentTypeName: String, arguments: [String: JSONValue] = [:], identity: JSONValue = .null,
                    source: JSONValue = .null, headers: [String: String] = [:], variables: [String: JSONValue] = [:],
                    selectionSetList: [String] = [], selectionSetGraphQL: String? = nil) {
            self.fieldName = fieldName
            self.parentTypeName = parentTypeName
            self.arguments = arguments
            self.identity = identity
            self.source = source
            self.headers = headers
            self.variables = variables
            self.selectionSetList = selectionSetList
            self.selectionSetGraphQL = selectionSetGraphQL
        }
    }

    /// The fields asked for: one for a single invocation, several for `BatchInvoke`.
    public var fields: [Field]
    /// Whether AppSync sent an array (and so expects one back).
    public var isBatch: Bool

    public init(fields: [Field], isBatch: Bool) {
        self.fields = fields
        self.isBatch = isBatch
    }

    static let shape = "an AppSync resolver event"

    public init(event bytes: [UInt8]) throws(InvalidEventError) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw InvalidEventError("the event is not valid JSON: \(error.description)", shape: Self.shape)
        }
        switch document {
        case .array(let items):
            fields = try items.map(Self.field)
            isBatch = true
        case .object:
            fields = [try Self.field(document)]
            isBatch = false
        default:
            throw InvalidEventError("it is neither an object nor an array of them", shape: Self.shape)
        }
    }

    static func field(_ json: JSONValue) throws(InvalidEventError) -> Field {
        guard case .object(let info)? = json["info"], let name = info["fieldName"]?.string, let parent = info["parentTypeName"]?.string else {
            throw InvalidEventError("it has no 'info.fieldName' and 'info.parentTypeName'", shape: shape)
        }
        var arguments: [String: JSONValue] = [:]
        switch json["arguments"] {
        case .object(let members)?: arguments = members
        case nil, .null?: break
        default: throw InvalidEventError("field \(name)'s 'arguments' is not an object", shape: shape)
        }
        var headers: [String: String] = [:]
        if case .object(let members)? = json["request"]?["headers"] {
            for (key, value) in members { if let text = value.string { headers[key.lowercased()] = text } }
        }
        var variables: [String: JSONValue] = [:]
        if case .object(let members)? = info["variables"] { variables = members }
        var selection: [String] = []
        if case .array(let items)? = info["selectionSetList"] { selection = items.compactMap(\.string) }
        return Field(fieldName: name, parentTypeName: parent, arguments: arguments, identity: json["identity"] ?? .null,
                     source: json["source"] ?? .null, headers: headers, variables: variables, selectionSetList: selection,
                     selectionSetGraphQL: info["selectionSetGraphQL"]?.string)
    }
}

/// What a resolver answers: per field its data, or its own error (AppSync reports `errorType` and
/// `errorMessage` in the response's `errors`), so that one bad item of a batch fails alone.
public struct AppSyncResolverAnswer: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        case data(JSONValue)
        case error(type: String, message: String)
    }

    public var results: [Result]
    public var isBatch: Bool

    public init(results: [Result], isBatch: Bool) {
        self.results = results
        self.isBatch = isBatch
    }

    /// A single field's answer is its data itself; an error of a single field is the invocation's error.
    /// A batch's answer is one object per field: `{"data": …}` or `{"errorMessage": …, "errorType": …}`.
    public func json() throws(AppSyncResolverError) -> JSONValue {
        guard isBatch else {
            switch results.first {
            case .data(let value)?: return value
            case .error(let type, let message)?: throw AppSyncResolverError(type: type, message: message)
            case nil: return .null
            }
        }
        return .array(results.map { result in
            switch result {
            case .data(let value): .object(["data": value])
            case .error(let type, let message): .object(["data": .null, "errorMessage": .string(message), "errorType": .string(type)])
            }
        })
    }
}

/// A single field's error: the runtime reports it as the invocation's error (`errorType`,
/// `errorMessage`), which AppSync turns into the field's GraphQL error.
public struct AppSyncResolverError: TypedInvocationError, CustomStringConvertible, Sendable, Equatable {
    public let type: String
    public var errorType: String { type }
    public let message: String
    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }
    public var description: String { message }
}
