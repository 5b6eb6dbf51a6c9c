/// The local Lambda: runs the functions' real executables as child processes under the Runtime API
/// emulator and invokes them as Lambda's Invoke API would (`FunctionInvoker`).
///
/// Per function, instances start on demand. A request takes an idle instance; if none is idle and
/// fewer than `maxConcurrency` run, a new one starts; otherwise the request waits its turn (FIFO).
/// An instance whose process died (crash, timeout, init error) is dropped and the next request gets
/// a fresh one.
public final class LocalLambda: FunctionInvoker {
    private let functions: [String: FunctionPool]

    /// One pool per configuration; names must be unique. Nothing starts until the first invocation.
    public init(functions: [LambdaFunctionConfiguration], log: LambdaLog = .standardError) {
        var pools: [String: FunctionPool] = [:]
        for configuration in functions {
            precondition(pools[configuration.name] == nil, "function \(configuration.name) configured twice")
            pools[configuration.name] = FunctionPool(configuration: configuration, log: log)
        }
        self.functions = pools
    }

    package var functionNames: [String] { functions.keys.sorted() }

    public func invoke(function: String, _ request: InvokeRequest) async -> InvokeResult {
        guard let pool = functions[function] else {
            return .runtimeFailed(errorType: "ResourceNotFoundException", message: "Function not found: \(function)")
        }
        return await pool.invoke(request)
    }

    /// The process ids of `function`'s live instances (what tests use to tell instances apart).
    package func processIDs(of function: String) async -> [Int32] {
        await functions[function]?.processIDs() ?? []
    }

    /// Stops every child process (SIGTERM, then SIGKILL after half a second, as Lambda's shutdown
    /// phase) and every Runtime API server; waiting and running requests fail.
    public func shutdown() async {
        for pool in functions.values { await pool.shutdown() }
    }
}

/// The instances of one function and the requests waiting for one.
actor FunctionPool {
    let configuration: LambdaFunctionConfiguration
    private let log: LambdaLog
    private var instances: [FunctionInstance] = []
    private var idle: [FunctionInstance] = []
    private var waiting: [CheckedContinuation<FunctionInstance?, Never>] = []
    private var stopped = false

    init(configuration: LambdaFunctionConfiguration, log: LambdaLog) {
        self.configuration = configuration
        self.log = log
    }

    func invoke(_ request: InvokeRequest) async -> InvokeResult {
        guard let instance = await acquire() else {
            return .runtimeFailed(errorType: "Runtime.ExitError", message: "RequestId: \(request.requestID) Error: the local Lambda is shutting down")
        }
        let result = await instance.invoke(request)
        release(instance)
        return result
    }

    func processIDs() -> [Int32] {
        instances.filter(\.isAlive).compactMap(\.processID)
    }

    func shutdown() async {
        stopped = true
        let stopping = instances
        instances.removeAll()
        idle.removeAll()
        for waiter in waiting { waiter.resume(returning: nil) }
        waiting.removeAll()
        await withTaskGroup(of: Void.self) { group in
            for instance in stopping {
                group.addTask { await instance.shutDown(grace: .milliseconds(500)) }
            }
        }
    }

    private func acquire() async -> FunctionInstance? {
        if stopped { return nil }
        dropDead()
        if !idle.isEmpty { return idle.removeFirst() }
        if instances.count < configuration.maxConcurrency { return newInstance() }
        return await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the instance to the next waiting request, or back to the idle list; a dead one is
    /// replaced by a fresh one if someone waits.
    private func release(_ instance: FunctionInstance) {
        // After shutdown() every instance is being stopped (with its grace period) already.
        if stopped { return }
        if !instance.isAlive {
            dropDead()
            if !waiting.isEmpty && instances.count < configuration.maxConcurrency {
                waiting.removeFirst().resume(returning: newInstance())
            }
            return
        }
        if !waiting.isEmpty {
            waiting.removeFirst().resume(returning: instance)
        } else {
            idle.append(instance)
        }
    }

    /// Forgets instances whose process ended (an idle one may have crashed between requests), which
    /// frees their slots under the concurrency limit.
    private func dropDead() {
        idle.removeAll { !$0.isAlive }
        instances.removeAll { !$0.isAlive }
    }

    private func newInstance() -> FunctionInstance {
        let instance = FunctionInstance(configuration: configuration, log: log)
        instances.append(instance)
        return instance
    }
}
