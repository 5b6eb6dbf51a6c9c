#!/usr/bin/env python3
"""A tiny Lambda runtime client (stdlib only) whose behaviour the event chooses.

It speaks the Runtime API the way a custom runtime does (GET next, POST response/error,
POST init/error), so the LocalCloud tests can drive the emulator into every case:

  {"action": "echo", ...}      answer with the event, this process's id, the headers and env seen
  {"action": "sleep", "seconds": S}   sleep, then answer (used past the timeout)
  {"action": "exit", "code": C}       os._exit(C) mid-invocation
  {"action": "killself"}              SIGKILL itself mid-invocation
  {"action": "error"}                 post /error with type Function.FixtureError
  {"action": "twice"}                 answer, answer again; the second status is kept for "report"
  {"action": "unknown"}               answer an id that does not exist, then the real one with that status
  {"action": "big"}                   answer 7 MB, then the real one with that status
  {"action": "report"}                answer with the statuses kept so far

Environment: FIXTURE_INIT_FAIL_ONCE=PATH posts /init/error (and exits 1) when PATH does not exist yet,
creating it, so the next start succeeds; FIXTURE_EXIT_BEFORE_NEXT=1 exits 2 before asking for work.
"""
import http.client
import json
import os
import signal
import sys
import time

HOST, PORT = os.environ["AWS_LAMBDA_RUNTIME_API"].rsplit(":", 1)
BASE = "/2018-06-01/runtime"
kept = []


def call(method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, int(PORT))
    connection.request(method, BASE + path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def answer(request_id, payload):
    response, _ = call("POST", f"/invocation/{request_id}/response", json.dumps(payload).encode())
    return response.status


print(f"fixture runtime starting, pid {os.getpid()}", file=sys.stderr, flush=True)

marker = os.environ.get("FIXTURE_INIT_FAIL_ONCE")
if marker and not os.path.exists(marker):
    open(marker, "w").close()
    body = json.dumps({"errorMessage": "fixture cannot initialise: no config", "errorType": "Runtime.FixtureInitError"})
    response, _ = call("POST", "/init/error", body.encode(), {"Lambda-Runtime-Function-Error-Type": "Runtime.FixtureInitError"})
    print(f"init error posted: {response.status}", file=sys.stderr, flush=True)
    sys.exit(1)
if os.environ.get("FIXTURE_EXIT_BEFORE_NEXT") == "1":
    print("exiting before the first next", file=sys.stderr, flush=True)
    sys.exit(2)

while True:
    response, body = call("GET", "/invocation/next")
    request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
    event = json.loads(body)
    action = event.get("action")
    print(f"handling {action}", flush=True)
    if action == "echo":
        seen = {name: response.getheader(name) for name in [
            "Lambda-Runtime-Aws-Request-Id", "Lambda-Runtime-Deadline-Ms", "Lambda-Runtime-Invoked-Function-Arn",
            "Lambda-Runtime-Trace-Id", "Lambda-Runtime-Client-Context", "Lambda-Runtime-Cognito-Identity"]}
        environment = {name: os.environ.get(name) for name in [
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "_HANDLER", "AWS_REGION",
            "LAMBDA_TASK_ROOT", "FIXTURE_SETTING"]}
        answer(request_id, {"event": event, "pid": os.getpid(), "headers": seen, "environment": environment,
                            "receivedAtMs": int(time.time() * 1000)})
    elif action == "sleep":
        time.sleep(event["seconds"])
        answer(request_id, {"slept": event["seconds"], "pid": os.getpid()})
    elif action == "exit":
        print("exiting mid-invocation", file=sys.stderr, flush=True)
        os._exit(event.get("code", 7))
    elif action == "killself":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "error":
        body = json.dumps({"errorMessage": "fixture failed on purpose", "errorType": "FixtureError"}).encode()
        call("POST", f"/invocation/{request_id}/error", body, {"Lambda-Runtime-Function-Error-Type": "Function.FixtureError"})
    elif action == "twice":
        kept.append(answer(request_id, {"first": True}))
        kept.append(answer(request_id, {"second": True}))
    elif action == "unknown":
        status = answer("00000000-not-a-request-id", {"stray": True})
        answer(request_id, {"unknownIdStatus": status})
    elif action == "big":
        status = answer(request_id, {"blob": "x" * (7 * 1024 * 1024)})
        answer(request_id, {"bigStatus": status})
    elif action == "report":
        answer(request_id, {"kept": kept, "pid": os.getpid()})
    else:
        answer(request_id, {"unknownAction": action})
