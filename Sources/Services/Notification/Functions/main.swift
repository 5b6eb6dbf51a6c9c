import FunctionHost
import NotificationService
import Platform

FunctionMain.run(NotificationFunctions.definition)
