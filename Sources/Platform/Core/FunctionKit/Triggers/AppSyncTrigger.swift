/// AppSync direct Lambda resolvers: the fields of the schema this function resolves ("Query.product").
public struct AppSyncTrigger: Trigger, Equatable {
    public var fields: [String]
    public init(fields: [String]) { self.fields = fields }
    public var description: String { "AppSync resolver for \(fields.joined(separator: ", "))" }
}

/// Resolves AppSync fields, one invocation or a `BatchInvoke` at a time.
public protocol AppSyncResolverHandler: FunctionHandler where Event == AppSyncResolverEvent, Answer == AppSyncResolverAnswer {}

extension AppSyncResolverEvent: InvocationEvent {
    public init(invocation bytes: [UInt8]) throws { try self.init(event: bytes) }
}

extension AppSyncResolverAnswer: InvocationAnswer {
    public func invocationBytes() throws -> [UInt8] { JSONWriter.bytes(try json()) }
}
