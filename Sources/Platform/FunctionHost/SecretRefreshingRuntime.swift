#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AWSClients
import Platform
import CurlHTTP

/// A function whose secrets may live in SSM Parameter Store. Every setting written `ssm:PARAMETER_NAME`
/// is read (`GetParameter`, decrypted) before the handler is built, and read again on the first
/// invocation after `SECRETS_MAX_AGE` (default 5m): when a value changed, the handler is built anew
/// with it, so a rotated secret takes effect without a deploy. When re-reading fails the function keeps
/// the values it has and tries again on the next invocation.
///
/// With no `ssm:` value (locally) nothing calls SSM and libcurl is not loaded for it.
public struct SecretRefreshingRuntime {
    public static let maxAgeSetting = "SECRETS_MAX_AGE"
    public static let defaultMaxAge: Double = 300

    /// The function as last built.
    public private(set) var runtime: FunctionRuntime
    public let references: SSMSettingReferences
    public let maxAge: Double
    /// When the values in use were read.
    package private(set) var resolvedAt: Date

    private let definition: FunctionDefinition
    private let environment: [String: String]
    private let logger: Logger
    private let httpClient: (any HTTPClient)?
    private let clock: any WallClock
    private let parameterStore: SSMParameterStore?
    /// Stops SSM's retries in time for the invocation that re-reads.
    private let deadline = InvocationDeadline()
    private var values: [String: String]

    public init(_ definition: FunctionDefinition, environment: [String: String], logger: Logger,
                httpClient: (any HTTPClient)? = nil, clock: any WallClock = SystemClock()) throws {
        let references = try SSMSettingReferences(environment: environment)
        let maxAge = try DurationSetting.seconds(Self.maxAgeSetting, environment: environment, default: Self.defaultMaxAge, range: 1...86_400)
        var parameterStore: SSMParameterStore?
        var values: [String: String] = [:]
        if !references.isEmpty {
            // AWSJSONClient retries by itself: no retrying wrapper underneath. Five seconds of retries at
            // most, within the ten Lambda gives init.
            var client = try AWSJSONClient.fromEnvironment(.ssm, environment: environment, http: httpClient ?? CurlHTTPClient(),
                                                           clock: clock, deadline: deadline)
            client.retry.maxTotalTime = 5
            let store = SSMParameterStore(client: client)
            values = try references.resolve { name throws(SSMParameterStore.ReadError) in try store.value(of: name) }
            parameterStore = store
        }
        self.references = references
        self.maxAge = maxAge
        self.definition = definition
        self.environment = environment
        self.logger = logger
        self.httpClient = httpClient
        self.clock = clock
        self.parameterStore = parameterStore
        self.values = values
        self.resolvedAt = clock.now()
        self.runtime = try FunctionRuntime(definition, environment: environment.merging(values) { $1 }, logger: logger,
                                           httpClient: httpClient, clock: clock)
    }

    /// One invocation, after re-reading the secrets if they are older than `maxAge`.
    public mutating func invoke(event: [UInt8], context: InvocationContext) throws -> [UInt8] {
        refreshIfStale(context: context)
        return try runtime.invoke(event: event, context: context)
    }

    public func afterResponse(logger: Logger) {
        runtime.afterResponse(logger: logger)
    }

    /// Re-reads every `ssm:` setting once the values are `maxAge` old, and rebuilds the handler when one
    /// changed. Logs name settings only, never values.
    mutating func refreshIfStale(context: InvocationContext) {
        guard let parameterStore, clock.now().timeIntervalSince(resolvedAt) >= maxAge else { return }
        deadline.begin(deadlineMilliseconds: context.deadlineMilliseconds)
        let fresh: [String: String]
        do {
            fresh = try references.resolve { name throws(SSMParameterStore.ReadError) in try parameterStore.value(of: name) }
        } catch {
            context.logger.warning("could not re-read secrets from SSM; keeping the ones in use and trying again on the next invocation",
                                   ["error": error.description])
            return
        }
        let now = clock.now()
        let changed = fresh.keys.filter { fresh[$0] != values[$0] }.sorted()
        guard !changed.isEmpty else {
            resolvedAt = now
            return
        }
        do {
            runtime = try FunctionRuntime(definition, environment: environment.merging(fresh) { $1 }, logger: logger,
                                          httpClient: httpClient, clock: clock)
            values = fresh
            context.logger.info("secrets changed in SSM; handler rebuilt with them", ["settings": changed.joined(separator: ",")])
        } catch {
            // Not retried before the next max age: a value that cannot start the function stays wrong until someone fixes it.
            context.logger.error("secrets changed in SSM but the function cannot start with them; keeping the ones in use",
                                 ["settings": changed.joined(separator: ","), "error": String(describing: error)])
        }
        resolvedAt = now
    }
}
