import Platform
import ArgumentParser

@main
struct PaymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments",
        abstract: "Run the payments functions locally: invoke, replay, and inspect payments and events.",
        discussion: """
            Functions read the same environment as in Lambda: PAYMENTS_STORE (default sqlite:payments.sqlite),
            PAYMENTS_EVENTS (default sqlite) and each provider's settings; the consumers DELIVERY_STORE and
            NOTIFICATION_STORE. Events published to the local bus are handed to the consumers events/rules.json names.
            Logs go to standard error.
            """,
        subcommands: [Invoke.self, Replay.self, Show.self, ShowOrder.self, Events.self, Notifications.self, Relay.self, Functions.self,
                      Serve.self, Emulate.self, Simulate.self, AWSCommand.self]
    )
}
