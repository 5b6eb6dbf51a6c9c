import FunctionSupport
import BraintreeProvider

FunctionMain.run(BraintreeFunctions.webhook)
