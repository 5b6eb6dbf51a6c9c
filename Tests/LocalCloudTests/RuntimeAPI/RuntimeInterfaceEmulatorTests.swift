import Testing
@testable import LocalCloud

struct RuntimeInterfaceEmulatorTests {
    @Test func rieDefaultsWhenNothingIsSet() throws {
        let function = try RuntimeInterfaceEmulator.function(command: ["./bootstrap", "--flag"], environment: ["X": "1"])
        #expect(function.name == "test_function")
        #expect(function.executable == "./bootstrap" && function.arguments == ["--flag"])
        #expect(function.timeoutSeconds == 300 && function.memoryMB == 3008 && function.maxConcurrency == 1)
        #expect(function.handler == nil && function.environment == ["X": "1"])
    }

    @Test func theFunctionsSettingsAreRead() throws {
        let function = try RuntimeInterfaceEmulator.function(command: ["b"], environment: [
            "AWS_LAMBDA_FUNCTION_NAME": "f", "AWS_LAMBDA_FUNCTION_TIMEOUT": "7", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512", "_HANDLER": "app.handler",
        ])
        #expect(function.name == "f" && function.timeoutSeconds == 7 && function.memoryMB == 512 && function.handler == "app.handler")
        let both = try RuntimeInterfaceEmulator.function(command: ["b"], environment: ["AWS_LAMBDA_FUNCTION_HANDLER": "h1", "_HANDLER": "h2"])
        #expect(both.handler == "h1")
    }

    @Test(arguments: ["0", "-3", "ten", "1.5"])
    func aTimeoutThatIsNotAPositiveWholeNumberIsRefusedByName(value: String) {
        #expect(throws: RuntimeInterfaceEmulator.InvalidSetting(description: "AWS_LAMBDA_FUNCTION_TIMEOUT must be a positive whole number, not '\(value)'.")) {
            try RuntimeInterfaceEmulator.function(command: ["b"], environment: ["AWS_LAMBDA_FUNCTION_TIMEOUT": value])
        }
    }
}
