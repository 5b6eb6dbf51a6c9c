import Foundation

/// The Runtime API's state for one runtime process: the invocation waiting to be fetched, the ones
/// handed out and not yet answered, and which ids were answered already.
///
/// Each instance of a function has its own endpoint (and port), so an answer can only come from the
/// process that holds the invocation, and a process dying fails exactly its own work.
actor RuntimeEndpoint {
    enum Answer: Sendable {
        case accepted
        /// No such invocation was handed to this runtime (400, `InvalidRequestID`).
        case unknownRequest
        /// The invocation was already answered, or ended otherwise (403, `InvalidStateTransition`).
        case alreadyAnswered
    }

    private var queued: [RuntimeInvocation] = []
    private var waitingForWork: [CheckedContinuation<RuntimeInvocation?, Never>] = []
    private var outcomes: [String: CheckedContinuation<RuntimeOutcome, Never>] = [:]
    private var delivered: Set<String> = []
    private var finished: Set<String> = []
    private var closed: RuntimeOutcome?
    /// Set by the first `/next`: the runtime finished its init.
    private(set) var initialised = false
    private let onDeliver: @Sendable (RuntimeInvocation) -> Void

    /// `onDeliver` runs when the runtime fetches an invocation (the instance logs with its request id).
    init(onDeliver: @escaping @Sendable (RuntimeInvocation) -> Void = { _ in }) {
        self.onDeliver = onDeliver
    }

    /// Queues `invocation` for the runtime and waits for how it ends.
    func submit(_ invocation: RuntimeInvocation) async -> RuntimeOutcome {
        await withCheckedContinuation { continuation in
            if let closed {
                continuation.resume(returning: closed)
                return
            }
            outcomes[invocation.requestID] = continuation
            if !waitingForWork.isEmpty {
                deliver(invocation, to: waitingForWork.removeFirst())
            } else {
                queued.append(invocation)
            }
        }
    }

    /// `GET /invocation/next`: the next invocation, waiting as long as it takes; nil once closed.
    func next() async -> RuntimeInvocation? {
        initialised = true
        if closed != nil { return nil }
        return await withCheckedContinuation { continuation in
            if !queued.isEmpty {
                deliver(queued.removeFirst(), to: continuation)
            } else {
                waitingForWork.append(continuation)
            }
        }
    }

    private func deliver(_ invocation: RuntimeInvocation, to continuation: CheckedContinuation<RuntimeInvocation?, Never>) {
        var invocation = invocation
        invocation.deadlineMilliseconds = Int64((Date().timeIntervalSince1970 + Double(invocation.timeoutSeconds)) * 1000)
        delivered.insert(invocation.requestID)
        onDeliver(invocation)
        continuation.resume(returning: invocation)
    }

    /// True once the runtime fetched `requestID` (its timeout runs from then on).
    func wasDelivered(_ requestID: String) -> Bool {
        delivered.contains(requestID) || finished.contains(requestID)
    }

    /// `/invocation/{id}/response` or `/error`.
    func answer(requestID: String, with outcome: RuntimeOutcome) -> Answer {
        if finished.contains(requestID) { return .alreadyAnswered }
        guard delivered.contains(requestID), let continuation = outcomes.removeValue(forKey: requestID) else {
            return .unknownRequest
        }
        delivered.remove(requestID)
        finished.insert(requestID)
        continuation.resume(returning: outcome)
        return .accepted
    }

    /// `/init/error`: fails every pending invocation with the runtime's error and closes the endpoint.
    /// After a first `/next` the runtime is past init, so Lambda refuses it (403).
    func initFailed(body: [UInt8], errorType: String) -> Answer {
        if initialised || closed != nil { return .alreadyAnswered }
        close(with: .initError(body: body, errorType: errorType))
        return .accepted
    }

    /// Ends the invocation `requestID` with `outcome` if it is still pending (the timeout's path);
    /// true if it was. The endpoint closes: its process is about to be killed.
    func expire(requestID: String, with outcome: RuntimeOutcome) -> Bool {
        guard outcomes[requestID] != nil else { return false }
        close(with: outcome)
        return true
    }

    /// The process is gone (or going): every pending invocation ends with `outcome`, every waiting
    /// `/next` gets nil, later submissions get `outcome` at once.
    func close(with outcome: RuntimeOutcome) {
        guard closed == nil else { return }
        closed = outcome
        for (requestID, continuation) in outcomes {
            finished.insert(requestID)
            continuation.resume(returning: outcome)
        }
        outcomes.removeAll()
        queued.removeAll()
        delivered.removeAll()
        for waiter in waitingForWork { waiter.resume(returning: nil) }
        waitingForWork.removeAll()
    }
}
