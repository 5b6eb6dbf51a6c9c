/// A store that fails loudly: the error reaches the runtime, which reports it, and the caller (a
/// provider, a queue) retries.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
