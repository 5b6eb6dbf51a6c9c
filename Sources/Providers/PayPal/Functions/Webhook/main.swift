import FunctionSupport
import PayPalProvider

FunctionMain.run(PayPalFunctions.webhook)
