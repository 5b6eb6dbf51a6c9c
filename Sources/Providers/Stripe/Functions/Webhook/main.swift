import FunctionHost
import StripeProvider
import Platform

FunctionMain.run(StripeFunctions.webhook.definition)
