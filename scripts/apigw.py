"""Build AWS API Gateway HTTP API (payload format 2.0) events for tests.

Test helper only. `make_event` returns the dict Lambda receives when API
Gateway forwards one HTTP request. Given `request_id` and `time` the result is
fully deterministic, so fixtures written with `write_event` are reproducible
byte for byte.
"""
import base64 as b64
import json
import time as _time
import uuid

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _clf_time(epoch):
    """API Gateway's requestContext.time format: 24/Nov/2025:16:00:00 +0000."""
    t = _time.gmtime(int(epoch))
    return "%02d/%s/%04d:%02d:%02d:%02d +0000" % (
        t.tm_mday, _MONTHS[t.tm_mon - 1], t.tm_year, t.tm_hour, t.tm_min, t.tm_sec)


def make_event(method, path, headers, body, base64=False, request_id=None, time=None):
    """One API Gateway v2 event.

    headers: dict (names are lower-cased, as API Gateway delivers them).
    body: bytes (or str, taken as UTF-8); sent as base64 text when base64=True.
    time: epoch seconds (float allowed); default now.
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
    if time is None:
        time = _time.time()
    if request_id is None:
        request_id = str(uuid.uuid4())
    hdrs = {k.lower(): v for k, v in headers.items()}
    hdrs.setdefault("content-length", str(len(body)))
    hdrs.setdefault("host", "localhost")
    route_key = "%s %s" % (method.upper(), path)
    return {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "",
        "headers": hdrs,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": "localhost",
            "http": {
                "method": method.upper(),
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": hdrs.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": route_key,
            "stage": "$default",
            "time": _clf_time(time),
            "timeEpoch": int(round(time * 1000)),
        },
        "body": b64.b64encode(body).decode("ascii") if base64 else body.decode("utf-8"),
        "isBase64Encoded": bool(base64),
    }


def dump_json(obj):
    """Stable file text: 2-space indent, UTF-8 kept, trailing newline."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def write_event(path, event):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(dump_json(event))
