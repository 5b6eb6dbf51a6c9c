#!/usr/bin/env python3
"""Lambda's DynamoDB stream event source mapping, for a test: a table's stream on moto fed to a function
binary through a Lambda Runtime API on loopback.

moto runs no stream -> Lambda mapping without Docker (docs: /work/shared/FACTS.md), so this does what the
mapping terraform/modules/outbox_relay deploys does, on one process of the function:
  - the filter: only INSERTs of OUTBOX# items are delivered;
  - batches of --batch-size records, each shard read from its start (TRIM_HORIZON), in order;
  - ReportBatchItemFailures: an answer {"batchItemFailures":[{"itemIdentifier": SEQ}, ...]} checkpoints
    at the lowest failed sequence number, and the next batch starts AT that record (the records after
    it come again); a function error retries the same batch.
It stops when every shard is read to its end, or after --max-invocations (exit 1).

    python3 scripts/stream_mapping.py --table T --stream-endpoint URL --function PATH [--env NAME=VALUE ...]

The stream is read at --stream-endpoint (moto itself); the function gets the environment given with
--env (its AWS_ENDPOINT_URL may be a fault-injecting proxy). Prints one JSON line: the invocations, the
batches retried after a partial failure, and how often each outbox event was handed to the function.
"""
import argparse
import http.server
import json
import os
import queue
import signal
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import boto3


class RuntimeAPI(http.server.ThreadingHTTPServer):
    """The Runtime API of one function process: `next` waits for an event, an answer is handed back."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RuntimeHandler)
        self.events = queue.Queue()
        self.answers = queue.Queue()


class RuntimeHandler(http.server.BaseHTTPRequestHandler):
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
        request_id, event = self.server.events.get()
        self.reply(200, event, [
            ("Content-Type", "application/json"),
            ("Lambda-Runtime-Aws-Request-Id", request_id),
            ("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 60_000)),
            ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:outbox-relay"),
            ("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"),
        ])

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.reply(202, b'{"status":"OK"}', [("Content-Type", "application/json")])
        kind = self.path.rsplit("/", 1)[-1]  # response, error (or init/error)
        self.server.answers.put((kind, body.decode("utf-8", "replace")))


def stream_records(streams, arn, shard, position):
    """Every record of the shard from `position`: None (its start), ("AT_SEQUENCE_NUMBER", SEQ) or
    ("AFTER_SEQUENCE_NUMBER", SEQ)."""
    request = {"StreamArn": arn, "ShardId": shard}
    if position is None:
        request["ShardIteratorType"] = "TRIM_HORIZON"
    else:
        request.update(ShardIteratorType=position[0], SequenceNumber=position[1])
    iterator = streams.get_shard_iterator(**request)["ShardIterator"]
    records = []
    while iterator:
        page = streams.get_records(ShardIterator=iterator, Limit=1000)
        if not page["Records"]:
            break
        records += page["Records"]
        iterator = page.get("NextShardIterator")
    return records


def outbox_insert(record):
    """The mapping's filter (terraform: eventName INSERT, pk prefix OUTBOX#)."""
    key = record["dynamodb"].get("Keys", {}).get("pk", {}).get("S", "")
    return record["eventName"] == "INSERT" and key.startswith("OUTBOX#")


def lambda_record(record, arn):
    """A GetRecords record as the mapping hands it to Lambda: JSON, with the stream's ARN."""
    record = dict(record, eventSourceARN=arn)
    dynamodb = dict(record["dynamodb"])
    if "ApproximateCreationDateTime" in dynamodb:
        dynamodb["ApproximateCreationDateTime"] = int(dynamodb["ApproximateCreationDateTime"].timestamp())
    record["dynamodb"] = dynamodb
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", required=True)
    parser.add_argument("--stream-endpoint", required=True, help="where the stream is read (moto)")
    parser.add_argument("--function", required=True, help="the function's executable")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the function's environment")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--max-invocations", type=int, default=1000)
    parser.add_argument("--log", help="the function's output goes here")
    args = parser.parse_args()

    region = os.environ.get("AWS_REGION", "eu-west-1")
    dynamodb = boto3.client("dynamodb", endpoint_url=args.stream_endpoint, region_name=region)
    streams = boto3.client("dynamodbstreams", endpoint_url=args.stream_endpoint, region_name=region)
    arn = dynamodb.describe_table(TableName=args.table)["Table"]["LatestStreamArn"]
    shards = [s["ShardId"] for s in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]]

    api = RuntimeAPI()
    threading.Thread(target=api.serve_forever, daemon=True).start()
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_REGION": region,
                   "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{api.server_address[1]}",
                   "AWS_LAMBDA_FUNCTION_NAME": "outbox-relay", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256"}
    environment.update(dict(setting.split("=", 1) for setting in args.env))
    log = open(args.log, "ab") if args.log else subprocess.DEVNULL
    # A folder of its own as its working directory, as Lambda's /var/task: whatever a misconfigured
    # function writes there (a default SQLite store) goes with it.
    workdir = tempfile.mkdtemp(prefix="stream-mapping-")
    function = subprocess.Popen([args.function], env=environment, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)

    summary = {"invocations": 0, "retried_batches": 0, "function_errors": 0, "handed": {}}

    def invoke(batch):
        if summary["invocations"] >= args.max_invocations:
            raise SystemExit(f"stream_mapping.py: still not drained after {args.max_invocations} invocations")
        summary["invocations"] += 1
        for record in batch:
            event_id = record["dynamodb"]["Keys"]["pk"]["S"].removeprefix("OUTBOX#")
            summary["handed"][event_id] = summary["handed"].get(event_id, 0) + 1
        api.events.put((str(uuid.uuid4()), json.dumps({"Records": [lambda_record(r, arn) for r in batch]}).encode()))
        while True:
            try:
                return api.answers.get(timeout=1)
            except queue.Empty:
                if function.poll() is not None:
                    raise SystemExit(f"stream_mapping.py: the function exited ({function.returncode})")

    try:
        for shard in shards:
            position = None
            while True:
                batch = [r for r in stream_records(streams, arn, shard, position) if outbox_insert(r)][: args.batch_size]
                if not batch:
                    break
                kind, body = invoke(batch)
                if kind != "response":
                    summary["function_errors"] += 1
                    position = ("AT_SEQUENCE_NUMBER", batch[0]["dynamodb"]["SequenceNumber"])
                    continue
                failed = {f["itemIdentifier"] for f in json.loads(body).get("batchItemFailures", [])}
                sequences = [r["dynamodb"]["SequenceNumber"] for r in batch]
                if failed:
                    summary["retried_batches"] += 1
                    # Checkpointed at the lowest failed record: the retry starts at it.
                    position = ("AT_SEQUENCE_NUMBER", next(s for s in sequences if s in failed))
                else:
                    # Past the whole batch: the next one starts after its last record.
                    position = ("AFTER_SEQUENCE_NUMBER", sequences[-1])
    finally:
        function.send_signal(signal.SIGTERM)
        try:
            function.wait(timeout=5)
        except subprocess.TimeoutExpired:
            function.kill()
            function.wait()
        api.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
