import FunctionSupport
import PaymentsCore

FunctionMain.run(OutboxStreamRelay.definition)
