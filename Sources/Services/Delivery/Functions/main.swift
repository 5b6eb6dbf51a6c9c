import DeliveryService
import FunctionSupport

FunctionMain.run(DeliveryFunctions.definition)
