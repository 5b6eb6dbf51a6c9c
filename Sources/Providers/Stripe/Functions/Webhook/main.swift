import FunctionSupport
import StripeProvider

FunctionMain.run(StripeFunctions.webhook)
