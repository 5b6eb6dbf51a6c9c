import FunctionHost
import BraintreeProvider
import Platform

FunctionMain.run(BraintreeFunctions.payment.definition)
