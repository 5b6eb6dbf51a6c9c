#!/usr/bin/env python3
"""Runs a function's bootstrap the way Lambda would, inside a chroot, and checks one answer.

    python3 scripts/lambda_chroot_invoke.py ROOT FUNCTION

ROOT is a root file system made by scripts/check_zips.sh (the provided.al2023 base set in /usr/lib64,
the function's zip unpacked at /var/task). A Runtime API on 127.0.0.1 (a local port) hands out one
event: GET /2018-06-01/runtime/invocation/next answers it with Lambda-Runtime-Aws-Request-Id and
Lambda-Runtime-Deadline-Ms; POST .../response, .../error and /init/error are recorded; the second
`next` answers 500, which ends the function's loop. The bootstrap starts with a cleared environment:
Lambda's own variables (LD_LIBRARY_PATH as on provided.al2023), the function's dummy settings
(outbox-relay's: OUTBOX_TABLE, OUTBOX_EVENTS), PAYMENTS_STORE=sqlite:/tmp/x.sqlite, and nothing else;
its working directory is /var/task.

Exit 0 when the answer is the one expected, 1 otherwise (with what was posted and the function's log).
"""
import http.server
import json
import os
import subprocess
import sys
import threading
import time

REQUEST_ID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"

# Lambda's variables on provided.al2023 (x86_64), as a function sees them.
LAMBDA_ENVIRONMENT = {
    "LD_LIBRARY_PATH": "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib",
    "PATH": "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
    "LAMBDA_TASK_ROOT": "/var/task",
    "LAMBDA_RUNTIME_DIR": "/var/runtime",
    "_HANDLER": "bootstrap",
    "TZ": ":UTC",
    "LANG": "en_US.UTF-8",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_EXECUTION_ENV": "AWS_Lambda_provided.al2023",
}

# Dummy settings per function (the same table as Tests/AdaptersTests/FunctionBinaryTests.swift).
SETTINGS = {
    "stripe-payment": {"STRIPE_SECRET_KEY": "sk_test_zip"},
    "stripe-webhook": {"STRIPE_WEBHOOK_SECRET": "whsec_Jmxd7L3FmiLoCGyLpO7WjPdn7qijezKi"},
    "paypal-payment": {"PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret"},
    "paypal-webhook": {"PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret", "PAYPAL_WEBHOOK_ID": "RAELQDWO9PHPUN425",
                       "PAYPAL_WEBHOOK_CERT": "/tmp/paypal-leaf.pem"},
    "braintree-payment": {"BRAINTREE_MERCHANT_ID": "m", "BRAINTREE_PUBLIC_KEY": "pub", "BRAINTREE_PRIVATE_KEY": "priv"},
    "braintree-webhook": {"BRAINTREE_PUBLIC_KEY": "n1gppdfiyefzftbt", "BRAINTREE_PRIVATE_KEY": "930759120c9e4d0d4184d4eca959575f"},
    # The table it drains and the bus, and the credentials Lambda sets (an empty batch calls neither).
    "outbox-relay": {"OUTBOX_TABLE": "zip-check", "OUTBOX_EVENTS": "eventbridge:zip-check",
                     "AWS_ACCESS_KEY_ID": "AKIDZIPCHECK", "AWS_SECRET_ACCESS_KEY": "zip-check", "AWS_SESSION_TOKEN": "zip-check"},
}


def api_gateway_event(method, path, body=None):
    route = "GET /payments/{id}" if method == "GET" else f"{method} {path}"
    return {
        "version": "2.0", "routeKey": route, "rawPath": path,
        "headers": {"content-type": "application/json"},
        "requestContext": {"requestId": "r", "http": {"method": method, "path": path}},
        "body": body, "isBase64Encoded": False,
    }


def expectation(function):
    """(event, check(answer) -> problem or None) for a function, by its kind."""
    if function.endswith("-payment"):
        def check(answer):
            return None if isinstance(answer, dict) and answer.get("statusCode") == 404 else "expected statusCode 404"
        return api_gateway_event("GET", "/payments/pay_unknown"), check
    if function.endswith("-webhook"):
        provider = function.split("-")[0]

        def check(answer):
            return None if isinstance(answer, dict) and answer.get("statusCode") == 400 else "expected statusCode 400"
        return api_gateway_event("POST", f"/webhooks/{provider}", "{}"), check
    if function in ("outbox-relay", "delivery", "notification"):
        # The relay takes DynamoDB stream batches, the consumers SQS batches: an empty batch has the same
        # shape for both and gets an empty partial batch response.
        def check(answer):
            return None if answer == {"batchItemFailures": []} else 'expected {"batchItemFailures":[]}'
        return {"Records": []}, check
    raise SystemExit(f"lambda_chroot_invoke.py: no check event for {function}")


class RuntimeAPI(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, event):
        super().__init__(("127.0.0.1", 0), Handler)
        self.event = json.dumps(event).encode()
        self.handed_out = False
        self.posts = []


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != "/2018-06-01/runtime/invocation/next":
            return self.reply(404, b'{"errorMessage":"unknown path"}')
        if self.server.handed_out:
            return self.reply(500, b'{"errorMessage":"no more events"}')
        self.server.handed_out = True
        deadline = str(int(time.time() * 1000) + 30_000)
        self.reply(200, self.server.event, [
            ("Content-Type", "application/json"),
            ("Lambda-Runtime-Aws-Request-Id", REQUEST_ID),
            ("Lambda-Runtime-Deadline-Ms", deadline),
            ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:zip-check"),
            ("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"),
        ])

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.posts.append({"path": self.path, "body": body.decode("utf-8", "replace"),
                                  "errorType": self.headers.get("Lambda-Runtime-Function-Error-Type")})
        self.reply(202, b'{"status":"OK"}', [("Content-Type", "application/json")])


def main():
    root, function = sys.argv[1], sys.argv[2]
    event, check = expectation(function)
    server = RuntimeAPI(event)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    environment = dict(LAMBDA_ENVIRONMENT)
    environment.update(SETTINGS.get(function, {}))
    environment.update({
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{server.server_address[1]}",
        "AWS_LAMBDA_FUNCTION_NAME": function,
        "PAYMENTS_STORE": "sqlite:/tmp/x.sqlite",
    })

    def enter_root():
        os.chroot(root)
        os.chdir("/var/task")

    started = time.monotonic()
    try:
        process = subprocess.run(["/var/task/bootstrap"], env=environment, preexec_fn=enter_root,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        status, log = process.returncode, process.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as error:
        status, log = "timeout", (error.stdout or b"").decode("utf-8", "replace")
    elapsed = time.monotonic() - started
    server.shutdown()

    paths = [post["path"] for post in server.posts]
    expected_path = f"/2018-06-01/runtime/invocation/{REQUEST_ID}/response"
    problem = None
    if paths != [expected_path]:
        problem = f"posted {paths}, expected one response at {expected_path}"
    else:
        try:
            answer = json.loads(server.posts[0]["body"])
        except ValueError:
            answer = None
        problem = check(answer)
    if problem:
        print(f"FAIL {function}: {problem} (exit status {status})")
        for post in server.posts:
            print(f"  posted {post['path']}: {post['body'][:500]}")
        print("  function output:\n    " + "\n    ".join(log.strip().splitlines()[-20:]))
        return 1
    answer = json.loads(server.posts[0]["body"])
    shown = f"statusCode {answer['statusCode']}" if "statusCode" in answer else json.dumps(answer, separators=(",", ":"))
    print(f"     {function}: answered {shown} in {elapsed * 1000:.0f} ms (chrooted, cleared environment, process start to exit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
