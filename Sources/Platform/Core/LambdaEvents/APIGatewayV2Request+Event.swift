extension APIGatewayV2Request {
    /// Reads an invocation event strictly: one JSON object, no repeated key anywhere (which
    /// `rawPath` would a second one mean?), `version` exactly "2.0" (payload format 1.0 has another
    /// shape), and every field of the type API Gateway sends.
    public init(event bytes: [UInt8]) throws(InvalidEventError) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw InvalidEventError("the event is not valid JSON: \(error.description)")
        }
        guard case .object(let event) = document else {
            throw InvalidEventError("the event must be a JSON object")
        }
        var reader = EventReader(object: event, path: "")
        let version = try reader.string("version")
        guard version == "2.0" else {
            let shown = version.map { "'\($0.prefix(8))'" } ?? "missing"
            throw InvalidEventError("the event's version is \(shown) (set the integration's payload format version to 2.0)")
        }
        let context = try reader.object("requestContext", required: true)!
        let http = try context.object("http", required: true)!
        self.init(method: "GET", path: "/")
        self.version = version
        self.routeKey = try reader.string("routeKey")
        self.rawPath = try reader.string("rawPath", required: true)!
        self.rawQueryString = try reader.string("rawQueryString")
        self.headers = try reader.stringMap("headers")
        self.pathParameters = try reader.stringMap("pathParameters")
        self.body = try reader.string("body")
        self.isBase64Encoded = try reader.bool("isBase64Encoded")
        self.requestContext = RequestContext(
            requestId: try context.string("requestId"),
            http: .init(method: try http.string("method", required: true)!, path: try http.string("path"), sourceIp: try http.string("sourceIp"))
        )
    }
}

/// Typed access to one object of an event, with errors that name the field's path.
struct EventReader {
    let object: [String: JSONValue]
    let path: String

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func value(_ key: String, required: Bool) throws(InvalidEventError) -> JSONValue? {
        switch object[key] {
        case nil, .null?:
            if required { throw InvalidEventError("the event has no '\(name(key))'") }
            return nil
        case let value?:
            return value
        }
    }

    func wrongType(_ key: String, _ expected: String) -> InvalidEventError {
        InvalidEventError("the event's '\(name(key))' must be \(expected)")
    }

    func string(_ key: String, required: Bool = false) throws(InvalidEventError) -> String? {
        guard let value = try value(key, required: required) else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, "a string") }
        return text
    }

    func bool(_ key: String) throws(InvalidEventError) -> Bool? {
        guard let value = try value(key, required: false) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(key, "true or false") }
        return flag
    }

    func object(_ key: String, required: Bool = false) throws(InvalidEventError) -> EventReader? {
        guard let value = try value(key, required: required) else { return nil }
        guard case .object(let members) = value else { throw wrongType(key, "an object") }
        return EventReader(object: members, path: name(key))
    }

    func stringMap(_ key: String) throws(InvalidEventError) -> [String: String]? {
        guard let reader = try object(key) else { return nil }
        var result: [String: String] = [:]
        for (member, value) in reader.object {
            // The member's name is not repeated in the message: it is the sender's text.
            guard case .string(let text) = value else { throw InvalidEventError("every value of the event's '\(name(key))' must be a string") }
            result[member] = text
        }
        return result
    }
}
