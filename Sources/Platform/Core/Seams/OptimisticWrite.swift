/// A change written conditionally on the version it was made from: when another writer stored first,
/// the change is made again from a fresh read, a few times at most, after which the error reaches the
/// caller (and the provider or the queue retries). Every service's store writes this way.
public enum OptimisticWrite {
    /// What one attempt came to.
    public enum Attempt<Result> {
        /// Written, or nothing to write: the result.
        case done(Result)
        /// Another writer stored first: read again and redo the change.
        case conflict
    }

    @inlinable
    public static func run<Result>(attempts: Int, giveUp: @autoclosure () -> StoreError,
                                   _ attempt: (_ number: Int) throws -> Attempt<Result>) throws -> Result {
        for number in 0..<attempts {
            if case .done(let result) = try attempt(number) { return result }
        }
        throw giveUp()
    }
}
