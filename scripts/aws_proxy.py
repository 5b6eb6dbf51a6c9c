#!/usr/bin/env python3
"""A recording, fault-injecting HTTP proxy on loopback in front of an AWS emulator (moto_server).

Test tooling only. Every request is forwarded unchanged (the Host header too, so SigV4 signatures still
verify at the emulator) and recorded as one JSON line: {"target": X-Amz-Target, "body": <request JSON>}.

With --faults N it misbehaves on the first N requests that reach it, each with probability --rate
(seeded, so a run is repeatable), the way AWS does under load (the first PutEvents call among them
always fails in part):
  - throttling: 400 {"__type": "ThrottlingException"} (DynamoDB: ProvisionedThroughputExceededException),
    nothing forwarded;
  - a 500 InternalServerError, nothing forwarded;
  - for EventBridge PutEvents: a partial failure. Some entries are removed from the request before it is
    forwarded, and the answer reports them with ErrorCode InternalFailure (FailedEntryCount > 0), so those
    events really were not delivered.
After N requests it only forwards and records. --kinds narrows the faults to some of these kinds: with
--kinds partial only PutEvents calls misbehave (each with probability --rate), every other call is forwarded.

  python3 scripts/aws_proxy.py --upstream http://127.0.0.1:5000 --port 0 --port-file p.txt --record r.jsonl
"""
import argparse
import http.client
import json
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="the emulator's base URL")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", help="write the port listened on here once ready")
    parser.add_argument("--record", help="append one JSON line per request here")
    parser.add_argument("--faults", type=int, default=0, help="misbehave on the first N requests")
    parser.add_argument("--rate", type=float, default=0.5, help="probability of a fault on each of those")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kinds", default="throttle,error,partial",
                        help="the kinds of fault injected, comma separated (throttle, error, partial)")
    args = parser.parse_args()
    upstream = urlsplit(args.upstream)
    lock = threading.Lock()
    state = {"seen": 0, "faults": {"throttle": 0, "error": 0, "partial": 0}}
    rng = random.Random(args.seed)
    kinds = args.kinds.split(",")
    if not kinds or not set(kinds) <= {"throttle", "error", "partial"}:
        parser.error(f"--kinds: {args.kinds}")

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def do_GET(self):
            if self.path == "/__faults":
                return self.answer(200, json.dumps(state).encode(), "application/json")
            self.forward(b"")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            target = self.headers.get("X-Amz-Target", "")
            with lock:
                state["seen"] += 1
                # Only PutEvents can fail in part; a call that cannot is drawn a fault of another kind.
                possible = kinds if target.endswith(".PutEvents") else [k for k in kinds if k != "partial"]
                faulty = possible and state["seen"] <= args.faults and rng.random() < args.rate
                kind = rng.choice(kinds) if faulty else None
                if kind == "partial" and not target.endswith(".PutEvents"):
                    kind = rng.choice(possible)
                # PutEvents calls are few (a relay batches ten events to a call): the first one within the
                # faulty requests fails in part, whatever the draw, so that every run exercises a partial failure.
                if (target.endswith(".PutEvents") and "partial" in kinds and state["faults"]["partial"] == 0
                        and state["seen"] <= args.faults):
                    kind = "partial"
                if kind:
                    state["faults"][kind] += 1
            if kind == "throttle":
                name = "ProvisionedThroughputExceededException" if target.startswith("DynamoDB") else "ThrottlingException"
                status = self.answer(400, json.dumps({"__type": name, "message": "Rate exceeded (injected)"}).encode())
            elif kind == "error":
                status = self.answer(500, json.dumps({"__type": "InternalServerError", "message": "injected"}).encode())
            elif kind == "partial":
                status = self.partial_put_events(body)
            else:
                status = self.forward(body)
            if args.record:
                try:
                    recorded = json.loads(body or b"{}")
                except ValueError:
                    recorded = body.decode("utf-8", "replace")
                with lock, open(args.record, "a") as out:
                    out.write(json.dumps({"target": target, "body": recorded, "fault": kind, "status": status}) + "\n")

        def partial_put_events(self, body):
            request = json.loads(body)
            entries = request.get("Entries", [])
            dropped = {i for i in range(len(entries)) if rng.random() < 0.5} or {0}
            kept = [e for i, e in enumerate(entries) if i not in dropped]
            results = []
            if kept:
                request["Entries"] = kept
                status, _, answer = self.send_upstream(json.dumps(request).encode(), self.headers, resign=True)
                if status != 200:
                    return self.answer(status, answer)
                upstream_results = iter(json.loads(answer).get("Entries", []))
            for i in range(len(entries)):
                if i in dropped:
                    results.append({"ErrorCode": "InternalFailure", "ErrorMessage": "injected partial failure"})
                else:
                    results.append(next(upstream_results))
            failed = sum(1 for r in results if "ErrorCode" in r)
            return self.answer(200, json.dumps({"FailedEntryCount": failed, "Entries": results}).encode())

        def send_upstream(self, body, headers, resign=False):
            connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
            forwarded = {k: v for k, v in headers.items() if k.lower() not in ("content-length", "connection")}
            if resign:
                # The entries changed, so the signature no longer covers the body: this path is only used
                # with the emulator's signature checks off (its default).
                forwarded.pop("X-Amz-Content-Sha256", None)
            forwarded["Content-Length"] = str(len(body))
            connection.request(self.command, self.path, body=body, headers=forwarded)
            response = connection.getresponse()
            data = response.read()
            connection.close()
            return response.status, response.getheaders(), data

        def forward(self, body):
            try:
                status, headers, data = self.send_upstream(body, self.headers)
            except OSError as error:
                return self.answer(502, json.dumps({"__type": "ProxyError", "message": str(error)}).encode())
            content_type = next((v for k, v in headers if k.lower() == "content-type"), "application/x-amz-json-1.0")
            return self.answer(status, data, content_type)

        def answer(self, status, data, content_type="application/x-amz-json-1.0"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return status

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Proxy)
    if args.port_file:
        with open(args.port_file, "w") as out:
            out.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
