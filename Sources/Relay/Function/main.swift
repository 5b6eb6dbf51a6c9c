import FunctionHost
import OutboxRelayFunction

FunctionMain.run(OutboxRelayFunction.definition)
