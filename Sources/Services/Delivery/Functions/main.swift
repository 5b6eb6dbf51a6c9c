import DeliveryService
import FunctionHost
import Platform

FunctionMain.run(DeliveryFunctions.definition)
