"""A Python Lambda handler run by AWS's official runtime client (awslambdaric) under `payments emulate`
(scripts/emulate_test.sh): what it returns, raises or does is chosen by the event."""
import os
import time


def handle(event, context):
    action = event.get("action")
    if action == "raise":
        raise ValueError(event.get("message", "bad value"))
    if action == "sleep":
        time.sleep(event["seconds"])
        return {"slept": event["seconds"]}
    if action == "exit":
        os._exit(event.get("code", 3))
    return {
        "echo": event,
        "pid": os.getpid(),
        "requestId": context.aws_request_id,
        "functionName": context.function_name,
        "memoryLimitInMB": context.memory_limit_in_mb,
        "invokedFunctionArn": context.invoked_function_arn,
        "remainingMs": context.get_remaining_time_in_millis(),
        "clientContext": context.client_context.custom if context.client_context else None,
        "traceId": os.environ.get("_X_AMZN_TRACE_ID"),
        "setting": os.environ.get("EMULATE_TEST_SETTING"),
    }
