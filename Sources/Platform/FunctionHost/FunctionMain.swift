#if canImport(Glibc)
import Glibc
#endif
import Platform
import CurlHTTP
import LambdaRuntimeClient
import CGlibcCompat

/// The entry point of every function executable.
public enum FunctionMain {
    public static func run(_ definition: FunctionDefinition) -> Never {
        cglibccompat_link_anchor()
        let environment = currentEnvironment()
        let logger = standardErrorLogger(function: definition.name)
        guard let api = environment["AWS_LAMBDA_RUNTIME_API"], !api.isEmpty else {
            writeStandardError("""
                \(definition.name) is an AWS Lambda bootstrap (runtime provided.al2023) and serves the Lambda Runtime API,
                but AWS_LAMBDA_RUNTIME_API is not set. To run it locally use `payments invoke \(definition.name) --event FILE`,
                or `payments emulate -- \(definition.name)`.

                """)
            exit(64)
        }
        // The Runtime API is plain HTTP on loopback: no libcurl needed to serve it.
        let loop = LambdaRuntimeLoop(api: api, client: LoopbackHTTPClient(address: api), logger: logger)
        // Settings written ssm:NAME are read from Parameter Store here, and again once SECRETS_MAX_AGE old.
        var runtime: SecretRefreshingRuntime
        do {
            runtime = try SecretRefreshingRuntime(definition, environment: environment, logger: logger)
        } catch {
            logger.error("initialisation failed", ["error": String(describing: error)])
            loop.reportInitError(error)
            exit(1)
        }
        // On DynamoDB every invocation calls AWS over HTTPS: load libcurl during init rather than in the
        // first request. On SQLite a webhook never needs it, so it is never loaded.
        if runtime.runtime.function.callsAWSOnEveryInvocation { CurlHTTPClient.preload() }
        do {
            try loop.run(
                handler: { try runtime.invoke(event: $0.event, context: $0.context) },
                afterResponse: { runtime.afterResponse(logger: $0.logger) }
            )
        } catch {
            logger.error("runtime loop stopped", ["error": String(describing: error)])
            exit(1)
        }
        exit(0)
    }
}

/// The process environment as a dictionary, read once at start.
package func currentEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        pointer += 1
    }
    return result
}
