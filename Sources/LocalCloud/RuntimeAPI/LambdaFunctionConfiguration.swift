/// One function as the local Lambda runs it: which executable, with what environment and limits.
public struct LambdaFunctionConfiguration: Sendable {
    /// The function's name (`AWS_LAMBDA_FUNCTION_NAME`, the log prefix, the key `invoke(function:)` takes).
    public var name: String
    /// The bootstrap to start: a path, or a command found on `PATH`.
    public var executable: String
    public var arguments: [String]
    /// What the function's own configuration would hold in Lambda (`PAYMENTS_STORE`, secrets, ...).
    /// Lambda's reserved variables are added on top (see `childEnvironment`).
    public var environment: [String: String]
    /// Lambda's function timeout, in whole seconds as Lambda configures it.
    public var timeoutSeconds: Int
    public var memoryMB: Int
    /// How many instances (processes) may run at once; more requests wait in a queue.
    public var maxConcurrency: Int
    /// `_HANDLER`: meaningless to a custom runtime, read by runtime clients such as awslambdaric.
    public var handler: String?

    public init(
        name: String,
        executable: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        timeoutSeconds: Int = 3,
        memoryMB: Int = 128,
        maxConcurrency: Int = 1,
        handler: String? = nil
    ) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.timeoutSeconds = max(1, timeoutSeconds)
        self.memoryMB = memoryMB
        self.maxConcurrency = max(1, maxConcurrency)
        self.handler = handler
    }

    /// The region the function believes it runs in: its own `AWS_REGION`, else us-east-1 (RIE's ARN region).
    var region: String { environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1" }

    /// The function ARN handed to the runtime (`Lambda-Runtime-Invoked-Function-Arn`), with RIE's account id.
    var functionARN: String { "arn:aws:lambda:\(region):012345678912:function:\(name)" }

    /// The environment a child process gets: the configured one plus what Lambda sets for every function.
    /// Lambda's reserved names win over the configuration, as in Lambda; `AWS_REGION` only fills a gap.
    func childEnvironment(runtimeAPI: String, logStream: String) -> [String: String] {
        var result = environment
        result["AWS_LAMBDA_RUNTIME_API"] = runtimeAPI
        result["AWS_LAMBDA_FUNCTION_NAME"] = name
        result["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = String(memoryMB)
        result["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
        result["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/\(name)"
        result["AWS_LAMBDA_LOG_STREAM_NAME"] = logStream
        result["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand"
        result["AWS_EXECUTION_ENV"] = result["AWS_EXECUTION_ENV"] ?? "AWS_Lambda_provided.al2023"
        result["_HANDLER"] = handler ?? result["_HANDLER"] ?? name
        result["AWS_REGION"] = region
        result["AWS_DEFAULT_REGION"] = result["AWS_DEFAULT_REGION"] ?? region
        // Lambda's task root is where the zip is unpacked: here, the executable's folder.
        if result["LAMBDA_TASK_ROOT"] == nil {
            let folder = executable.contains("/") ? String(executable[..<executable.lastIndex(of: "/")!]) : "."
            result["LAMBDA_TASK_ROOT"] = folder.isEmpty ? "/" : folder
        }
        result["LAMBDA_RUNTIME_DIR"] = result["LAMBDA_RUNTIME_DIR"] ?? result["LAMBDA_TASK_ROOT"]
        result["PATH"] = result["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        result["TZ"] = result["TZ"] ?? ":UTC"
        result["LANG"] = result["LANG"] ?? "en_US.UTF-8"
        return result
    }
}
