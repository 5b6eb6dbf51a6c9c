import FunctionSupport
import BraintreeProvider

FunctionMain.run(BraintreeFunctions.payment)
