import FunctionSupport
import StripeProvider

FunctionMain.run(StripeFunctions.payment)
