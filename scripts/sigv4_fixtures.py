#!/usr/bin/env python3
"""AWS Signature Version 4 fixtures made by botocore's own signer (test peer).

Writes Tests/Fixtures/AWS/sigv4.json (or --out): a list of cases, each with the
request as the Swift signer receives it (method, url, headers as [name, value]
pairs in order, body as UTF-8 text, service, region, credentials, timestamp in
Unix seconds) and what `botocore.auth.SigV4Auth.add_auth` set on an
`botocore.awsrequest.AWSRequest` built from the same input: the headers
`Authorization`, `X-Amz-Date` and, with a session token, `X-Amz-Security-Token`.
The canonical request and string to sign botocore computed are kept too, so a
failing Swift test can show where the two first differ.

The clock is fixed by patching `botocore.auth.get_current_datetime` (botocore
>= 1.35 reads the time through it; patching `botocore.auth.datetime` no longer
reaches it). The credentials are AWS's documented example values, not real.

SigV4 as read from botocore 1.43 (botocore/auth.py, SigV4Auth) -- what the
Swift signer has to match:
  - X-Amz-Date: UTC time as %Y%m%dT%H%M%SZ (whole seconds); any old
    Authorization / X-Amz-Date header is removed first; with a session token,
    X-Amz-Security-Token is set (replacing any) and signed.
  - No X-Amz-Content-SHA256 header for these services (only S3 adds it); a
    caller's own X-Amz-Content-SHA256 value is used as the payload hash.
  - Signed headers: every request header, lower-cased, except connection,
    expect, keep-alive, proxy-authenticate, proxy-authorization, te, trailer,
    transfer-encoding, upgrade, user-agent, x-amzn-trace-id. A caller's Host
    header is signed as given; without one, host is signed (but not set on the
    request) as the URL's host lower-cased, with the port only when it is not
    the scheme's default, IPv6 literals in brackets. Values: runs of
    whitespace become one space, ends trimmed; a repeated header's values are
    joined with ",".
  - Canonical URI: the URL's path as written (still percent-encoded), dot
    segments and empty segments removed (an empty path is "/", a trailing "/"
    is kept), then percent-encoded again keeping only A-Z a-z 0-9 - _ . ~ and
    "/": so "%20" in a URL is signed as "%2520" (double encoding; S3 differs).
  - Canonical query: the URL's raw query split on "&", each part on the first
    "=" ("k" becomes "k="; an empty part from "&&" or a trailing "&" becomes
    "="), sorted by key then value, NOT re-encoded. The URLs below are built
    the way botocore's serializers build them, with
    `botocore.utils.percent_encode` (RFC 3986), so they are already canonical.
  - Payload hash: hex SHA-256 of the body bytes (of "" when empty).

Usage: python3 scripts/sigv4_fixtures.py [--out Tests/Fixtures/AWS/sigv4.json]
Deterministic: the same botocore gives the same file byte for byte.
"""
import argparse
import datetime
import json
import os
from unittest import mock

import botocore
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = ("IQoJb3JpZ2luX2VjEXAMPLEsessiontokenFwoGZXIvYXdzEFAaDEXAMPLE/"
                 "+example+token+with/slashes+and+plus==")

T_2025_11_24 = 1764000000  # 2025-11-24T16:00:00Z, as the other fixtures
T_LEAP_DAY_LAST_SECOND = 1709251199  # 2024-02-29T23:59:59Z
T_NEW_YEAR = 1767225600  # 2026-01-01T00:00:00Z


def query(pairs):
    """A query string as botocore's serializers write one (RFC 3986, order kept)."""
    return "&".join(k if v is None else f"{percent_encode(k)}={percent_encode(v)}" for k, v in pairs)


CASES = [
    dict(name="dynamodb-getitem", method="POST", url="https://dynamodb.us-east-1.amazonaws.com/",
         headers=[["X-Amz-Target", "DynamoDB_20120810.GetItem"],
                  ["Content-Type", "application/x-amz-json-1.0"]],
         body='{"TableName":"payments","Key":{"pk":{"S":"payment#pay_fixture0001"}},"ConsistentRead":true}',
         service="dynamodb", region="us-east-1", timestamp=T_2025_11_24),
    dict(name="eventbridge-putevents", method="POST", url="https://events.eu-west-1.amazonaws.com/",
         headers=[["Content-Type", "application/x-amz-json-1.1"],
                  ["X-Amz-Target", "AWSEvents.PutEvents"]],
         body=('{"Entries":[{"Source":"shop.payments","DetailType":"PaymentSucceeded",'
               '"Detail":"{\\"paymentId\\":\\"pay_fixture0001\\",\\"amount\\":2000}","EventBusName":"shop"}]}'),
         service="events", region="eu-west-1", timestamp=T_NEW_YEAR),
    dict(name="session-token", method="POST", url="https://dynamodb.us-east-1.amazonaws.com/",
         headers=[["X-Amz-Target", "DynamoDB_20120810.TransactWriteItems"],
                  ["Content-Type", "application/x-amz-json-1.0"]],
         body='{"TransactItems":[]}',
         service="dynamodb", region="us-east-1", timestamp=T_LEAP_DAY_LAST_SECOND, session_token=SESSION_TOKEN),
    dict(name="get-query-encoding-repeated-and-empty", method="GET",
         url="https://sqs.us-east-1.amazonaws.com/?" + query([
             ("Action", "ListQueues"), ("b", "2"), ("a b", "x/y"), ("b", "10"), ("b", "1"),
             ("empty", ""), ("flag", None), ("tag:Name", "Café*+~"), ("A", "upper first"),
         ]),
         headers=[], body="", service="sqs", region="us-east-1", timestamp=T_2025_11_24),
    dict(name="path-already-percent-encoded-is-encoded-again", method="POST",
         url="https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/"
             + percent_encode("arn:aws:lambda:us-east-1:123456789012:function:pay run", safe="")
             + "/invocations?Qualifier=prod",
         headers=[["Content-Type", "application/json"]], body='{"ping":true}',
         service="lambda", region="us-east-1", timestamp=T_2025_11_24),
    dict(name="path-dot-segments-double-slashes-reserved", method="GET",
         url="https://example.execute-api.us-east-1.amazonaws.com/prod/./a//b/../c~d/e:f@g$h!/",
         headers=[], body="", service="execute-api", region="us-east-1", timestamp=T_2025_11_24),
    dict(name="query-empty-parts-kept", method="GET", url="https://sqs.us-east-1.amazonaws.com/?b=2&&a=1&",
         headers=[], body="", service="sqs", region="us-east-1", timestamp=T_2025_11_24),
    dict(name="empty-path-and-empty-query", method="GET", url="https://sqs.us-east-1.amazonaws.com?",
         headers=[], body="", service="sqs", region="us-east-1", timestamp=T_2025_11_24),
    dict(name="local-emulator-port", method="POST", url="http://127.0.0.1:5000/",
         headers=[["X-Amz-Target", "DynamoDB_20120810.PutItem"],
                  ["Content-Type", "application/x-amz-json-1.0"]],
         body='{"TableName":"payments","Item":{"pk":{"S":"x"}}}',
         service="dynamodb", region="us-east-1", timestamp=T_2025_11_24),
    dict(name="ipv6-emulator-port", method="POST", url="http://[::1]:4566/",
         headers=[["X-Amz-Target", "AWSEvents.PutEvents"], ["Content-Type", "application/x-amz-json-1.1"]],
         body='{"Entries":[]}', service="events", region="us-east-1", timestamp=T_2025_11_24),
    dict(name="default-port-and-upper-case-host-dropped", method="POST",
         url="https://DynamoDB.US-East-1.AmazonAWS.com:443/",
         headers=[["X-Amz-Target", "DynamoDB_20120810.GetItem"],
                  ["Content-Type", "application/x-amz-json-1.0"]],
         body="{}", service="dynamodb", region="us-east-1", timestamp=T_2025_11_24),
    dict(name="header-values-spaces-and-unsigned-headers", method="POST",
         url="https://events.us-east-1.amazonaws.com/",
         headers=[["X-Amz-Target", "  AWSEvents.PutEvents  "],
                  ["content-type", "application/x-amz-json-1.1"],
                  ["X-Custom-Header", "\t a   b \t c  "],
                  ["User-Agent", "payments/1.0"],
                  ["X-Amzn-Trace-Id", "Root=1-67891233-abcdef012345678912345678"],
                  ["Expect", "100-continue"],
                  ["X-Repeated", "one"],
                  ["x-repeated", " two  words "]],
         body='{"Entries":[]}', service="events", region="us-east-1", timestamp=T_2025_11_24),
    dict(name="resigning-replaces-old-signature-headers", method="POST",
         url="https://dynamodb.us-east-1.amazonaws.com/",
         headers=[["X-Amz-Target", "DynamoDB_20120810.GetItem"],
                  ["Content-Type", "application/x-amz-json-1.0"],
                  ["Authorization", "AWS4-HMAC-SHA256 Credential=old"],
                  ["X-Amz-Date", "20200101T000000Z"],
                  ["X-Amz-Security-Token", "old-token"]],
         body="{}", service="dynamodb", region="us-east-1", timestamp=T_2025_11_24, session_token=SESSION_TOKEN),
    dict(name="caller-host-header-and-content-sha256", method="POST", url="http://127.0.0.1:4566/",
         headers=[["Host", "Dynamodb.Local:4566"],
                  ["X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"],
                  ["X-Amz-Target", "DynamoDB_20120810.GetItem"],
                  ["Content-Type", "application/x-amz-json-1.0"]],
         body="{}", service="dynamodb", region="us-east-1", timestamp=T_2025_11_24),
    dict(name="non-ascii-utf8-body", method="POST", url="https://email.eu-central-1.amazonaws.com/v2/email/outbound-emails",
         headers=[["Content-Type", "application/json"]],
         body='{"Content":{"Simple":{"Subject":{"Data":"Paiement reçu ✓"},'
              '"Body":{"Text":{"Data":"Café au lait — 2 000 ¥ 日本"}}}}}',
         service="ses", region="eu-central-1", timestamp=T_2025_11_24),
]


class RecordingSigV4Auth(SigV4Auth):
    """botocore's signer, unchanged, keeping its intermediate strings for the fixture."""

    def string_to_sign(self, request, canonical_request):
        self.recorded_canonical_request = canonical_request
        self.recorded_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.recorded_string_to_sign


def sign(case):
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, case.get("session_token"))
    request = AWSRequest(method=case["method"], url=case["url"], data=case["body"].encode("utf-8"))
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders appends, so a repeated name stays repeated
    signer = RecordingSigV4Auth(credentials, case["service"], case["region"])
    now = datetime.datetime.fromtimestamp(case["timestamp"], datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=now):
        signer.add_auth(request)
    expected = {"Authorization": request.headers["Authorization"], "X-Amz-Date": request.headers["X-Amz-Date"]}
    if case.get("session_token"):
        expected["X-Amz-Security-Token"] = request.headers["X-Amz-Security-Token"]
    assert request.headers.get_all("Authorization") == [expected["Authorization"]]
    return {
        "name": case["name"],
        "input": {
            "method": case["method"], "url": case["url"], "headers": case["headers"], "body": case["body"],
            "service": case["service"], "region": case["region"],
            "accessKeyId": ACCESS_KEY, "secretAccessKey": SECRET_KEY, "sessionToken": case.get("session_token"),
            "timestamp": case["timestamp"],
        },
        "expected": expected,
        "canonicalRequest": signer.recorded_canonical_request,
        "stringToSign": signer.recorded_string_to_sign,
    }


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(root, "Tests/Fixtures/AWS/sigv4.json"))
    args = parser.parse_args()
    document = {"generator": f"scripts/sigv4_fixtures.py with botocore {botocore.__version__}",
                "cases": [sign(case) for case in CASES]}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
    print(f"wrote {len(document['cases'])} cases to {args.out}")


if __name__ == "__main__":
    main()
