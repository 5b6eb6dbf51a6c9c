import FunctionHost
import PayPalProvider
import Platform

FunctionMain.run(PayPalFunctions.webhook.definition)
