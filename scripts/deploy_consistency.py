#!/usr/bin/env python3
"""The deployment files agree with the code: terraform/ and serverless/ against the function registry,
DESIGN.md's names and each other.

    python3 scripts/deploy_consistency.py [--registry FILE]

The registry is what `payments functions` prints (NAME<TAB>TRIGGER, the routes of HTTP functions):
by default `$(swift build --show-bin-path)/payments functions` (built if missing), or FILE.
Needs python-hcl2 (>= 7, strings keep their quotes) and PyYAML: scripts/deploy_checks.sh provides them.

Fails (exit 1) when a function, a route, a handler, an artifact or an environment variable name differs
between the registry, terraform/ and serverless/, or is not one of DESIGN.md's (or the README's
configuration table's) names; or when a table holding an outbox (the payments table, each consumer's)
has no stream feeding an outbox-relay deployed for that table, on either side; or when Notification's
fan-out is not the one `payments aws init` builds and the code reads: its rule targets the SNS topic
BUS-notification, a subscription with raw delivery (no filter) per channel queue BUS-notification-CHANNEL
(with its dead-letter queue), `notification` mapped to each channel queue and no other on both sides,
the queue names those the registry lists and NotificationChannel derives the channel from. Ends with
"deploy consistency: N passed, M failed".
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

import hcl2
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TF = os.path.join(ROOT, "terraform")
SLS = os.path.join(ROOT, "serverless")

results = []


def check(condition, what, detail=""):
    results.append(bool(condition))
    print(("ok   " if condition else "FAIL ") + what + ("" if condition or not detail else f"\n       {detail}"))
    return condition


def clean(value):
    """python-hcl2 keeps string quotes ('"x"') and block markers: strip both, recursively."""
    if isinstance(value, str):
        return value[1:-1] if len(value) >= 2 and value[0] == '"' and value[-1] == '"' else value
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items() if k not in ("__is_block__", "__comments__", "__inline_comments__")}
    return value


def load_tf(path):
    with open(os.path.join(TF, path)) as handle:
        return clean(hcl2.load(handle))


def locals_of(document):
    merged = {}
    for block in document.get("locals", []):
        merged.update(block)
    return merged


def resource(document, kind, name):
    for block in document.get("resource", []):
        if kind in block and name in block[kind]:
            return block[kind][name]
    raise KeyError(f"resource {kind}.{name}")


def variable_default(document, name):
    for block in document.get("variable", []):
        if name in block:
            return block[name].get("default")
    raise KeyError(f"variable {name}")


def module_block(document, name):
    for block in document.get("module", []):
        if name in block:
            return block[name]
    raise KeyError(f"module {name}")


# --- the registry ---------------------------------------------------------------------------------

def registry_lines(path):
    if path:
        with open(path) as handle:
            return handle.read()
    binary = os.environ.get("PAYMENTS_BIN")
    if not binary:
        bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True,
                                  stdout=subprocess.PIPE, text=True).stdout.strip()
        binary = os.path.join(bin_path, "payments")
        if not os.path.exists(binary):
            print("building payments (swift build --product payments)", file=sys.stderr)
            subprocess.run(["swift", "build", "--product", "payments"], cwd=ROOT, check=True, stdout=sys.stderr)
    return subprocess.run([binary, "functions"], cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout


def parse_registry(text):
    functions = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, trigger = line.partition("\t")
        if re.match(r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) /", trigger):
            functions[name] = {"kind": "http", "routes": [r.strip() for r in trigger.split(", ")]}
        elif "DynamoDB stream" in trigger:
            functions[name] = {"kind": "stream", "routes": []}
        elif trigger.startswith("SQS queue"):
            # "SQS queue BUS-notification-email, BUS-notification-sms": the queues the code reads from.
            queues = [q.strip() for q in trigger[len("SQS queue"):].split(",") if q.strip()]
            functions[name] = {"kind": "sqs", "routes": [], "queues": queues}
        else:
            functions[name] = {"kind": trigger, "routes": []}
    return functions


# --- DESIGN.md and README names ---------------------------------------------------------------------

def readme_names():
    with open(os.path.join(ROOT, "README.md")) as handle:
        text = handle.read()
    section = re.search(r"^## Configuration\n(.*?)(?=^## )", text, re.S | re.M)
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", section.group(1) if section else ""))


def find_design():
    for candidate in (os.path.join(ROOT, "..", "shared", "DESIGN.md"), "/work/shared/DESIGN.md", os.path.join(ROOT, "DESIGN.md")):
        if os.path.exists(candidate):
            return candidate
    return None


# --- serverless -------------------------------------------------------------------------------------

# A secret's variable in serverless/: the literal parameter name `ssm:${param:ssmPrefix}/NAME` (the function
# reads the value at run time), never Serverless's ${ssm:...}, which would decrypt it into the template.
SSM = re.compile(r"^ssm:\$\{param:ssmPrefix\}/([A-Z][A-Z0-9_]*)$")


def serverless_routes(function):
    routes = []
    for event in function.get("events") or []:
        if "httpApi" in event:
            http = event["httpApi"]
            authorizer = (http.get("authorizer") or {}).get("type", "NONE") if isinstance(http, dict) else "NONE"
            routes.append((f"{http['method'].upper()} {http['path']}", authorizer.upper()))
    return routes


# --- Notification's fan-out ---------------------------------------------------------------------------

def expand(template, values):
    """A Terraform string template with ${NAME} placeholders filled in, or None when one is left over
    (an expression this check does not know how to evaluate)."""
    text = clean(template)
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return None if "${" in text else text


def present(lookup, document, kind_or_name, name=None):
    """resource()/module_block() that records a failure (and gives {}) instead of raising when missing."""
    try:
        return lookup(document, kind_or_name, name) if name else lookup(document, kind_or_name)
    except KeyError as error:
        check(False, f"terraform has {error.args[0]}")
        return {}


def fan_out_checks(registry, main_tf, variables_tf, consumers_doc, consumers_module, sls_consumer_functions, swift):
    """The rule payments-to-notification targets the SNS topic BUS-notification; one SQS queue per channel
    (BUS-notification-CHANNEL, each with its dead-letter queue and alarm) is subscribed to it with raw
    message delivery and no filter; `notification` is mapped to every channel queue and to no other, on
    both sides, and may read those queues only. The names are computed from terraform's templates and
    compared with the queue names the code reads (`payments functions`) and derives the channel from
    (NotificationChannel(queue:): the name's last "-" part), as AWSSetup names them."""
    # What the code says: the channels, how aws init names the topic and queues, the queues the
    # functions read (with BUS standing for the bus's name), how a queue's name gives its channel.
    channel_source = swift("Services/Notification/NotificationService/NotificationChannel.swift")
    enum = re.search(r"enum NotificationChannel\b[^{]*\{(.*?)\n    (?:public )?(?:static )?(?:func|var|init)", channel_source, re.S)
    channels = re.findall(r"^\s*case (\w+)\s*$", enum.group(1), re.M) if enum else []
    check(channels, "the code's notification channels (NotificationChannel)", "no `case` found in NotificationChannel.swift")
    aws_init = swift("payments/AWSInit.swift")
    check('["notification": NotificationChannel.allCases.map(\\.rawValue)]' in aws_init
          and '"\\(bus)-\\(target)-\\(channel)"' in aws_init and 'ensureTopic("\\(bus)-\\(target)"' in aws_init
          and 'ensureQueueWithDeadLetter("\\(bus)-\\(target)"' in aws_init,
          "aws init fans notification out over every channel: topic BUS-TARGET, queues BUS-TARGET-CHANNEL (other targets: a queue BUS-TARGET)")
    check('split(separator: "-").last' in channel_source and "eventSourceARN" in swift("Services/Notification/NotificationService/NotificationHandler.swift"),
          "notification takes a record's channel from its queue's name (eventSourceARN, the name's last \"-\" part)")
    code_queues = {name: set(f.get("queues", [])) for name, f in registry.items() if f["kind"] == "sqs"}
    wanted_notification = {f"BUS-notification-{channel}" for channel in channels}
    check(code_queues.get("notification") == wanted_notification,
          "the registry's notification reads BUS-notification-CHANNEL for every channel",
          f"registry {sorted(code_queues.get('notification', []))}, channels {channels}")
    for name in sorted(code_queues.get("notification", [])):
        channel = name.split(":")[-1].split("-")[-1]
        check(channel in channels, f"queue {name} names a channel the function knows ({channel})")

    # Terraform: which targets fan out, over which channels.
    fan_out = locals_of(main_tf).get("fan_out")
    tf_channels = variable_default(variables_tf, "notification_channels") or []
    check(fan_out == {"notification": "${var.notification_channels}"}, "terraform fans out notification over var.notification_channels (main.tf local.fan_out)",
          f"fan_out = {fan_out}")
    check(sorted(tf_channels) == sorted(channels), "terraform's notification_channels default to the code's channels",
          f"terraform {tf_channels}, code {channels}")
    events_call = present(module_block, main_tf, "events")
    check(events_call.get("fan_out") == "${local.fan_out}", "terraform passes local.fan_out to modules/events", f"fan_out = {events_call.get('fan_out')}")

    events_module = load_tf("modules/events/main.tf")
    ev_locals = locals_of(events_module)
    check("contains(keys(var.fan_out), target)" in ev_locals.get("topic_targets", "")
          and "!contains(keys(var.fan_out), target)" in ev_locals.get("queue_targets", ""),
          "modules/events: a fan-out target gets a topic and no queue of its own; any other target a queue",
          f"topic_targets {ev_locals.get('topic_targets')}, queue_targets {ev_locals.get('queue_targets')}")
    key_template = re.search(r'for channel in var\.fan_out\[target\] : "([^"]*)" =>', ev_locals.get("channel_queues", ""))
    topic = present(resource, events_module, "aws_sns_topic", "fan_out")
    channel_queue = present(module_block, events_module, "channel_queue")
    target_queue = present(module_block, events_module, "queue")

    # The names terraform makes, from its templates.
    with open(os.path.join(ROOT, "events", "rules.json")) as handle:
        rules = json.load(handle)["rules"]
    fan_out_targets = {"notification": tf_channels} if fan_out == {"notification": "${var.notification_channels}"} else {}
    tf_queues = {}
    for target in sorted({rule["target"] for rule in rules}):
        if target in fan_out_targets:
            names = set()
            for channel in fan_out_targets[target]:
                key = expand(key_template.group(1), {"target": target, "channel": channel}) if key_template else None
                names.add(expand(channel_queue.get("name", ""), {"var.bus_name": "BUS", "each.key": key or "?"}) if key else None)
            tf_queues[target] = names
            check(expand(topic.get("name", ""), {"var.bus_name": "BUS", "each.key": target}) == f"BUS-{target}",
                  f"terraform's {target} topic is BUS-{target}, as aws init names it", f"name = {topic.get('name')}")
        else:
            tf_queues[target] = {expand(target_queue.get("name", ""), {"var.bus_name": "BUS", "each.key": target})}
    for target in sorted(tf_queues):
        check(tf_queues[target] == code_queues.get(target), f"terraform's {target} queues are the ones the code reads",
              f"terraform {sorted(map(str, tf_queues[target]))}, code {sorted(code_queues.get(target, []))}")

    rule_target = present(resource, events_module, "aws_cloudwatch_event_target", "this")
    check(rule_target.get("arn", "").startswith("${contains(local.topic_targets, each.value.target) ? aws_sns_topic.fan_out[each.value.target].arn :"),
          "terraform: a fan-out target's rule targets its topic (not a queue)", f"arn = {rule_target.get('arn')}")
    check(topic.get("for_each") == "${local.topic_targets}" and topic.get("kms_master_key_id") == "${var.kms_key_arn}",
          "terraform: a topic per fan-out target, encrypted with the platform key")
    topic_policy = present(resource, events_module, "aws_sns_topic_policy", "fan_out").get("policy", "")
    check('Principal = {Service = \"events.amazonaws.com\"}' in topic_policy and 'Action = \"sns:Publish\"' in topic_policy
          and "aws_cloudwatch_event_rule.this[name].arn if target == each.key" in topic_policy,
          "terraform: the topic policy lets EventBridge publish, from the rules that target it only (aws:SourceArn)", topic_policy)
    subscription = present(resource, events_module, "aws_sns_topic_subscription", "channel")
    check(subscription.get("for_each") == "${local.channel_queues}" and subscription.get("protocol") == "sqs"
          and subscription.get("endpoint") == "${module.channel_queue[each.key].arn}"
          and subscription.get("topic_arn") == "${aws_sns_topic.fan_out[each.value.target].arn}",
          "terraform: each channel queue is subscribed to its target's topic", json.dumps(subscription))
    check(subscription.get("raw_message_delivery") is True, "terraform: the channel subscriptions have raw message delivery",
          f"raw_message_delivery = {subscription.get('raw_message_delivery')}")
    check("filter_policy" not in subscription and "filter_policy_scope" not in subscription,
          "terraform: the channel subscriptions filter nothing (EventBridge sets no message attributes)", f"{subscription.get('filter_policy')}")
    channel_policy = json.dumps(channel_queue.get("policy_statements"))
    check(channel_queue.get("for_each") == "${local.channel_queues}" and "sns.amazonaws.com" in channel_policy
          and "aws_sns_topic.fan_out[each.value.target].arn" in channel_policy and "aws:SourceArn" in channel_policy,
          "terraform: each channel queue's policy lets its topic (only) send to it (modules/queue policy_statements)", channel_policy)
    queue_module = load_tf("modules/queue/main.tf")
    queue_vars = load_tf("modules/queue/variables.tf")
    check(channel_queue.get("source") == "../queue" and "dead_letter_queue" not in channel_queue and variable_default(queue_vars, "dead_letter_queue") is True
          and present(resource, queue_module, "aws_sqs_queue", "dlq").get("name") == "${var.name}-dlq"
          and "aws_sqs_queue.dlq[0].name" in json.dumps(present(resource, queue_module, "aws_cloudwatch_metric_alarm", "depth").get("dimensions")),
          "terraform: each channel queue has its dead-letter queue NAME-dlq and an alarm on its depth (modules/queue)")
    kms_call = present(module_block, main_tf, "kms").get("eventbridge_topic_names", "")
    kms_policy = json.dumps(load_tf("modules/kms/main.tf"))
    check(kms_call == '${[for target in keys(local.fan_out) : \"${var.bus_name}-${target}\"]}'
          and "kms:EncryptionContext:aws:sns:topicArn" in kms_policy and "events.amazonaws.com" in kms_policy,
          "terraform: the platform key lets EventBridge publish to the (encrypted) fan-out topics", f"eventbridge_topic_names = {kms_call}")

    # The function: mapped to each channel queue and no other, reading only those.
    consumers_call = present(module_block, consumers_doc, "consumers")
    check(consumers_call.get("notification_queue_arns") == '${module.events.channel_queue_arns[\"notification\"]}'
          and "notification_queue_arn" not in consumers_call,
          "terraform: notification is mapped to the channel queues (modules/consumers notification_queue_arns), no other queue",
          f"{consumers_call.get('notification_queue_arns')}")
    consumer_locals = json.dumps(locals_of(consumers_module).get("consumers"))
    check("notification = {queues = var.notification_queue_arns," in consumer_locals,
          "terraform modules/consumers: notification's queues are exactly the channel queues", consumer_locals)
    permissions = locals_of(consumers_doc).get("consumer_permissions", "")
    notification_part = permissions[permissions.find("notification = "):]
    sqs_statements = re.findall(r"\{sid = \\?\"(\w+)\\?\", actions = local\.consumer_queue_access, resources = ([^}]*?), conditions", notification_part)
    check(sqs_statements == [("ReadChannelQueues", 'values(module.events.channel_queue_arns[\"notification\"])')],
          "terraform: notification's role receives and deletes on its channel queues only", f"{sqs_statements}")
    queue_access = locals_of(consumers_doc).get("consumer_queue_access", [])
    check(set(queue_access) <= {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"}
          and {"sqs:ReceiveMessage", "sqs:DeleteMessage"} <= set(queue_access),
          "terraform: the consumers' queue actions are receive, delete and what the mapping needs", f"{queue_access}")

    # Serverless: the same mappings, through the parameters terraform outputs.
    outputs = json.dumps(load_tf("outputs.tf"))
    check('module.events.channel_queue_arns[\\\"notification\\\"] : \\\"notification${title(channel)}QueueArn\\\"' in outputs
          and "notificationQueueArn" not in outputs,
          "terraform's serverless_params carry notificationCHANNELQueueArn per channel queue, and no single notification queue")
    sls_notification = sls_consumer_functions.get("notification") or {}
    sqs = [e["sqs"] for e in sls_notification.get("events") or [] if "sqs" in e]
    sls_arns = sorted(str(e.get("arn")) for e in sqs)
    wanted_arns = sorted("${param:notification" + channel.title() + "QueueArn}" for channel in tf_channels)
    check(sls_arns == wanted_arns, "serverless notification: one SQS mapping per channel queue, no other",
          f"serverless {sls_arns}, channels {wanted_arns}")
    check(sqs and all(e.get("functionResponseType") == "ReportBatchItemFailures" for e in sqs),
          "serverless notification: every channel mapping reports batch item failures")


def security_checks(main_tf, consumers_doc, sls, sls_consumers, swift):
    """What the security review (issue 20) asked of the deployment, on both sides: secrets travel as
    parameter names, the SMS permission reaches no topic, only the relays put this system's events on
    the bus, every queue refuses requests without TLS, and serverless's API is throttled and logged and
    its log groups encrypted as terraform's."""
    outputs = json.dumps(load_tf("outputs.tf"))
    # Secrets: serverless never resolves SSM (the template would hold the value); its prefix is terraform's.
    for label in ("serverless.yml", "consumers.yml"):
        with open(os.path.join(SLS, label)) as handle:
            text = handle.read()
        check("${ssm:" not in text, f"serverless {label}: resolves no SSM parameter at deploy time (no ${{ssm:...}})")
    check("ssmPrefix = var.ssm_parameter_prefix" in outputs.replace('\\"', '"').replace('"', ''),
          "serverless's ssmPrefix parameter is terraform's ssm_parameter_prefix (the parameters the roles may read)")

    # SMS: Publish to phone numbers only, never to a topic; the countries and the spend limit.
    permissions = locals_of(consumers_doc).get("consumer_permissions", "")
    sms = re.search(r'sid = \\?"SendSMSOnly\\?", actions = \[\\?"sns:Publish\\?"\], resources = \[\], not_resources = \[\\?"arn:\*:sns:\*:\*:\*\\?"\]', permissions)
    check(sms, "terraform: notification may sns:Publish to every resource but SNS's (phone numbers), not on \"*\" (NotResource arn:*:sns:*:*:*)",
          permissions[permissions.find("SendSMS"):][:300])
    everything = "".join(open(path).read() for path in glob.glob(os.path.join(TF, "**", "*.tf"), recursive=True))
    publishes = re.findall(r'actions\s*=\s*\["sns:Publish"\]\s*\n\s*resources\s*=\s*(\[[^\]]*\])', everything)
    check(all(r != '["*"]' for r in publishes), "terraform: no role may sns:Publish on \"*\"", f"{publishes}")
    environment = locals_of(consumers_doc).get("consumer_default_environments", {}).get("notification", {})
    check(environment.get("NOTIFICATION_SMS_COUNTRIES") == '${join(\",\", var.notification_sms_countries)}',
          "terraform: NOTIFICATION_SMS_COUNTRIES is var.notification_sms_countries", f"{environment.get('NOTIFICATION_SMS_COUNTRIES')}")
    sls_notification = (sls_consumers["functions"].get("notification") or {}).get("environment") or {}
    check(sls_notification.get("NOTIFICATION_SMS_COUNTRIES") == "${param:notificationSmsCountries}"
          and "notificationSmsCountries = join" in outputs.replace('\\"', '').replace('"', ''),
          "serverless: NOTIFICATION_SMS_COUNTRIES is terraform's notification_sms_countries (serverless_params)")
    preferences = present(resource, main_tf, "aws_sns_sms_preferences", "account")
    check(preferences.get("monthly_spend_limit") == "${var.sms_monthly_spend_limit}" and "sms" in str(preferences.get("count")),
          "terraform: the account's SMS spend limit (sms_monthly_spend_limit) whenever Notification sends SMS", f"{preferences}")

    # The bus: only each source's relay may put its events.
    code_sources = {
        re.search(r'static let source = "([^"]+)"', swift(path)).group(1): relay
        for path, relay in (("PaymentsCore/Payment/PaymentEvent.swift", "outbox-relay"),
                            ("Services/Delivery/DeliveryService/ShipmentEvents.swift", "delivery-outbox-relay"),
                            ("Services/Notification/NotificationService/NotificationEvents.swift", "notification-outbox-relay"))
    }
    relay_names = set(locals_of(consumers_doc).get("consumer_relay_names", {}).values()) | {"outbox-relay"}
    bus_locals = locals_of(load_tf("bus_policy.tf"))
    sources = bus_locals.get("bus_event_sources", {})
    check(sources == code_sources and set(sources.values()) == relay_names,
          "terraform: the bus policy holds each source of the code (PaymentEvent, ShipmentEvents, NotificationEvents) to its table's relay",
          f"terraform {sources}, code {code_sources}, relays {sorted(relay_names)}")
    check(present(resource, main_tf, "aws_cloudwatch_event_bus_policy", "only_relays_publish").get("policy") == "${local.bus_policy}",
          "terraform: the bus's policy is bus_policy.tf's")
    bus_policy = bus_locals.get("bus_policy", "")
    check(all(part in bus_policy for part in ('Effect = \"Deny\"', 'Principal = \"*\"', 'Action = \"events:PutEvents\"',
                                              '\"ForAnyValue:StringEquals\" = {\"events:source\" = [source]}',
                                              '\"aws:PrincipalArn\"', "role/${var.function_name_prefix}${relay}")),
          "terraform: the bus policy denies PutEvents of a source to every principal but its relay's role", bus_policy)

    # Queues: every one made by modules/queue, whose policies refuse requests without TLS.
    queue_files = [p for p in glob.glob(os.path.join(TF, "**", "*.tf"), recursive=True) if 'resource "aws_sqs_queue"' in open(p).read()
                   or 'resource "aws_sqs_queue_policy"' in open(p).read()]
    check([os.path.relpath(p, TF) for p in queue_files] == ["modules/queue/main.tf"],
          "terraform: every SQS queue and queue policy is made by modules/queue", f"{queue_files}")
    queue_module = load_tf("modules/queue/main.tf")
    deny = json.dumps(locals_of(queue_module).get("deny_insecure_transport"))
    policies = [present(resource, queue_module, "aws_sqs_queue_policy", name).get("policy", "") for name in ("this", "dlq")]
    check('"Effect": "Deny"' in deny and '"aws:SecureTransport": "false"' in deny and '"Action": "sqs:*"' in deny
          and all("local.deny_insecure_transport" in policy for policy in policies),
          "terraform: every queue and dead-letter queue denies any request without TLS (aws:SecureTransport false)", f"{deny} {policies}")

    # Serverless's HTTP API: throttled, logged and encrypted as terraform's.
    stage = ((sls.get("resources") or {}).get("extensions") or {}).get("HttpApiStage", {}).get("Properties", {}).get("DefaultRouteSettings", {})
    check(stage.get("ThrottlingBurstLimit") == "${param:apiThrottlingBurstLimit}" and stage.get("ThrottlingRateLimit") == "${param:apiThrottlingRateLimit}"
          and "apiThrottlingBurstLimit = var.api_throttling.burst_limit" in outputs.replace('"', '')
          and "apiThrottlingRateLimit = var.api_throttling.rate_limit" in outputs.replace('"', ''),
          "serverless: the HTTP API's stage has terraform's throttling (api_throttling)", f"{stage}")
    api_stage = present(resource, load_tf("modules/api/main.tf"), "aws_apigatewayv2_stage", "default")
    tf_format = dict(re.findall(r'(\w+) = \\?"(\$context\.[\w.]+)\\?"', json.dumps(api_stage.get("access_log_settings"))))
    sls_logs = ((sls["provider"].get("logs") or {}).get("httpApi") or {})
    sls_format = json.loads(sls_logs["format"]) if isinstance(sls_logs, dict) and sls_logs.get("format") else {}
    check(tf_format and tf_format == sls_format, "serverless: the access log has terraform's fields",
          f"terraform {tf_format}\n       serverless {sls_format}")
    wanted = {"$context.identity.sourceIp", "$context.identity.userArn", "$context.identity.accountId", "$context.error.message",
              "$context.error.responseType", "$context.integrationErrorMessage", "$context.integration.error", "$context.authorizer.error"}
    check(wanted <= set(tf_format.values()), "the access log carries the caller (address, account, principal) and the errors",
          f"missing {sorted(wanted - set(tf_format.values()))}")
    for document, label, extra in ((sls, "serverless.yml", ["HttpApiLogGroup"]), (sls_consumers, "consumers.yml", [])):
        extensions = (document.get("resources") or {}).get("extensions") or {}
        groups = extra + [name.replace("-", "Dash").replace("_", "Underscore")[:1].upper() + name.replace("-", "Dash").replace("_", "Underscore")[1:] + "LogGroup"
                          for name in document["functions"]]
        unencrypted = [g for g in groups if (extensions.get(g) or {}).get("Properties", {}).get("KmsKeyId") != "${param:kmsKeyArn}"]
        check(not unencrypted, f"serverless {label}: every log group encrypted with the platform key (KmsKeyId)", f"not: {unencrypted}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", help="a file holding `payments functions` output, instead of running it")
    args = parser.parse_args()

    registry = parse_registry(registry_lines(args.registry))
    design = find_design()
    if design:
        with open(design) as handle:
            text = handle.read()
        executables = set(re.findall(r"`([a-z][a-z0-9-]*)`", re.search(r"^Executables:(.*?)\n\n", text, re.S | re.M).group(1)))
        env_section = re.search(r"^Environment \(.*?\n(.*?)\nCLI ", text, re.S | re.M).group(1)
        design_env = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", env_section))
    else:
        executables, design_env = set(), set()
    check(design is not None and executables and design_env, "DESIGN.md found with its executables and environment names",
          "DESIGN.md not found next to the repository (../shared/DESIGN.md)")
    known_env = design_env | readme_names()

    functions_tf = load_tf("functions.tf")
    tf_locals = locals_of(functions_tf)
    catalogue = tf_locals["catalogue"]
    common_env = set(tf_locals["common_environment"])
    variables_tf = load_tf("variables.tf")
    providers_enabled = variable_default(variables_tf, "providers_enabled")
    ssm_prefix = variable_default(variables_tf, "ssm_parameter_prefix")
    consumers_doc = load_tf("consumers.tf")
    consumers_tf = locals_of(consumers_doc)
    tf_consumers = consumers_tf["consumer_default_environments"]
    # Consumer => the outbox-relay deployed on its table's stream (one per table: the relay removes what
    # it published from the table its OUTBOX_TABLE names).
    tf_relay_names = consumers_tf.get("consumer_relay_names", {})
    # Table => its relay (terraform/outbox_relays.tf), each one instance of modules/outbox_relay, whose
    # function gets the environment the module sets: the table it drains and the bus.
    outbox_relays_doc = load_tf("outbox_relays.tf")
    tf_outbox_relays = locals_of(outbox_relays_doc).get("outbox_relays", "")
    relay_module = load_tf("modules/outbox_relay/main.tf")
    relay_env = module_block(relay_module, "function").get("environment") or {}

    with open(os.path.join(SLS, "serverless.yml")) as handle:
        sls = yaml.safe_load(handle)
    with open(os.path.join(SLS, "consumers.yml")) as handle:
        sls_consumers = yaml.safe_load(handle)
    sls_functions = sls["functions"]
    sls_relay_functions = {n: f for n, f in sls_consumers["functions"].items() if n in tf_relay_names.values()}
    sls_consumer_functions = {n: f for n, f in sls_consumers["functions"].items() if n not in sls_relay_functions}
    other = sorted(set(sls_consumers["functions"]) - set(tf_consumers) - set(tf_relay_names.values()))
    check(not other, "serverless/consumers.yml holds only the consumers and their tables' relays", f"unknown: {other}")

    deployable = {name for name, f in registry.items() if f["kind"] in ("http", "stream")}
    registry_consumers = {name for name, f in registry.items() if f["kind"] == "sqs"}

    # 1. The functions.
    check(set(catalogue) == deployable, "terraform/functions.tf lists the registry's functions",
          f"registry {sorted(deployable)}, terraform {sorted(catalogue)}")
    check(set(sls_functions) == deployable, "serverless/serverless.yml lists the registry's functions",
          f"registry {sorted(deployable)}, serverless {sorted(sls_functions)}")
    check(set(tf_consumers) == set(sls_consumer_functions), "the consumers agree: terraform/consumers.tf and serverless/consumers.yml",
          f"terraform {sorted(tf_consumers)}, serverless {sorted(sls_consumer_functions)}")
    check(registry_consumers <= set(tf_consumers), "every SQS function of the registry is a consumer in terraform and serverless",
          f"missing: {sorted(registry_consumers - set(tf_consumers))}")
    if executables:
        wanted = executables - {"payments"}
        have = set(catalogue) | set(tf_consumers)
        # DESIGN.md names functions of open issues too (the sync functions, the reconciler, the catalog's):
        # every deployed function must be one of its names, and the registry (what this package builds)
        # is checked against terraform and serverless above; the names not built yet are listed, not failed.
        check(have <= wanted, "every deployed function is one of DESIGN.md's executables (less the CLI)",
              f"not in DESIGN.md: {sorted(have - wanted)}")
        if wanted - have:
            print(f"note: DESIGN.md executables not built yet: {', '.join(sorted(wanted - have))}")
    for name in sorted(sls_functions):
        check(sls_functions[name].get("name") == "${param:functionPrefix}" + name,
              f"serverless {name}: deployed as functionPrefix + its name, as terraform names it",
              f"name: {sls_functions[name].get('name')!r}")

    # 2. Routes: the registry's, on both sides, and GET /payments/{id} to one payment function.
    lookup = f"{providers_enabled[0]}-payment"
    check(set(providers_enabled) == {f["provider"] for f in catalogue.values() if f.get("provider")},
          "terraform deploys every provider of the catalogue by default", f"providers_enabled = {providers_enabled}")
    served = {}
    for name in sorted(deployable):
        expected = registry[name]["routes"]
        if name in catalogue:
            check(catalogue[name].get("routes") == expected, f"terraform {name}: routes {expected}",
                  f"terraform has {catalogue[name].get('routes')}")
        if name not in sls_functions:
            continue
        shared = [r for r in expected if sum(r in f["routes"] for f in registry.values()) > 1]
        wanted = sorted(r for r in expected if r not in shared or name == lookup)
        routes = serverless_routes(sls_functions[name])
        check(sorted(r for r, _ in routes) == wanted, f"serverless {name}: routes {wanted}",
              f"serverless has {sorted(r for r, _ in routes)}")
        for route, authorizer in routes:
            served.setdefault(route, []).append(name)
            expected_auth = "NONE" if route.startswith("POST /webhooks/") else "AWS_IAM"
            check(authorizer == expected_auth, f"serverless {name}: {route} authorization {expected_auth}", f"has {authorizer}")
    all_routes = {r for f in registry.values() for r in f["routes"]}
    check(set(served) == all_routes and all(len(v) == 1 for v in served.values()),
          "serverless serves every registry route exactly once", f"served {served}")
    tf_auth = variable_default(variables_tf, "payment_routes_authorization")
    check(tf_auth == "AWS_IAM", "terraform's payment routes default to AWS_IAM, as serverless's", f"default {tf_auth}")
    routes_local = json.dumps(tf_locals.get("routes"))
    check('startswith(route, \\"POST /webhooks/\\") ? \\"NONE\\"' in routes_local, "terraform's webhook routes are open (NONE)", routes_local)
    check(tf_locals.get("lookup_function") == "${var.providers_enabled[0]}-payment",
          "terraform routes GET /payments/{id} to the first provider's payment function, as serverless does",
          f"lookup_function = {tf_locals.get('lookup_function')}")

    # 3. Runtime, handler, artifact.
    lambda_fn = resource(load_tf("modules/lambda/main.tf"), "aws_lambda_function", "this")
    check(lambda_fn.get("runtime") == "provided.al2023" and lambda_fn.get("handler") == "bootstrap",
          "terraform functions: runtime provided.al2023, handler bootstrap", f"{lambda_fn.get('runtime')}, {lambda_fn.get('handler')}")
    functions_module = load_tf("modules/functions/main.tf")
    consumers_module = load_tf("modules/consumers/main.tf")
    for label, document in (("modules/functions", functions_module), ("modules/consumers", consumers_module)):
        zip_path = module_block(document, "function").get("zip_path")
        check(zip_path == "${var.dist_dir}/${each.key}.zip", f"terraform {label}: artifact DIST/NAME.zip", f"zip_path = {zip_path}")
    main_tf = load_tf("main.tf")
    check(locals_of(main_tf).get("dist_dir", "").endswith('abspath(\\"${path.module}/../dist\\")}') or
          "../dist" in locals_of(main_tf).get("dist_dir", ""), "terraform's dist folder is ../dist", locals_of(main_tf).get("dist_dir"))
    for document, label in ((sls, "serverless.yml"), (sls_consumers, "consumers.yml")):
        provider = document["provider"]
        check(provider.get("runtime") == "provided.al2023", f"serverless {label}: runtime provided.al2023", provider.get("runtime"))
        for name, function in document["functions"].items():
            artifact = (function.get("package") or {}).get("artifact")
            executable = "outbox-relay" if name in tf_relay_names.values() else name
            check(function.get("handler") == "bootstrap" and artifact == f"../dist/{executable}.zip" and function.get("runtime", provider["runtime"]) == "provided.al2023",
                  f"serverless {name}: handler bootstrap, artifact ../dist/{executable}.zip",
                  f"handler {function.get('handler')}, artifact {artifact}")

    # 4. Environment names. The payment and webhook functions get the store and the bus; the relays are
    # configured by the table they drain (OUTBOX_TABLE) and the bus (OUTBOX_EVENTS), nothing else.
    relay_env_names = {"OUTBOX_TABLE", "OUTBOX_EVENTS"}
    check(not (sls["provider"].get("environment") or {}), "serverless.yml: no environment for every function (the relay's differs)",
          f"provider.environment {sls['provider'].get('environment')}")
    sls_payment_functions = {n: f for n, f in sls_functions.items() if catalogue.get(n, {}).get("kind") != "relay"}
    sls_stores = {str((f.get("environment") or {}).get("PAYMENTS_STORE")) for f in sls_payment_functions.values()}
    sls_buses = {str((f.get("environment") or {}).get("PAYMENTS_EVENTS")) for f in sls_payment_functions.values()}
    check(common_env == {"PAYMENTS_STORE", "PAYMENTS_EVENTS"} and len(sls_stores) == 1 and len(sls_buses) == 1,
          "every payment and webhook function gets PAYMENTS_STORE and PAYMENTS_EVENTS on both sides, the same on each",
          f"terraform {sorted(common_env)}, serverless stores {sorted(sls_stores)}, buses {sorted(sls_buses)}")
    sls_store, sls_bus = next(iter(sls_stores)), next(iter(sls_buses))
    check(tf_locals["common_environment"].get("PAYMENTS_STORE", "").startswith("dynamodb:") and sls_store.startswith("dynamodb:") and
          tf_locals["common_environment"].get("PAYMENTS_EVENTS", "").startswith("eventbridge:") and sls_bus.startswith("eventbridge:"),
          "store dynamodb:TABLE and events eventbridge:BUS on both sides")
    check(set(relay_env) == relay_env_names and relay_env.get("OUTBOX_TABLE") == "${var.table_name}"
          and relay_env.get("OUTBOX_EVENTS") == "eventbridge:${var.bus_name}",
          "terraform modules/outbox_relay: the relay gets OUTBOX_TABLE (the table it drains) and OUTBOX_EVENTS=eventbridge:BUS, nothing else",
          f"{relay_env}")
    sls_relay_env = sls_functions.get("outbox-relay", {}).get("environment") or {}
    check(sls_relay_env == {"OUTBOX_TABLE": sls_store.removeprefix("dynamodb:"), "OUTBOX_EVENTS": sls_bus},
          "serverless outbox-relay: OUTBOX_TABLE is the payments table, OUTBOX_EVENTS the payment functions' bus", f"{sls_relay_env}")
    for name in sorted(set(catalogue) & set(sls_functions)):
        entry = catalogue[name]
        base = relay_env_names if entry.get("kind") == "relay" else common_env
        tf_names = base | set(entry.get("secrets", [])) | set(entry.get("settings", []))
        sls_env = dict(sls["provider"].get("environment") or {})
        sls_env.update(sls_functions[name].get("environment") or {})
        check(tf_names == set(sls_env), f"{name}: the same environment names in terraform and serverless",
              f"only terraform {sorted(tf_names - set(sls_env))}, only serverless {sorted(set(sls_env) - tf_names)}")
        unknown = sorted(n for n in tf_names | set(sls_env) if n not in known_env)
        check(not unknown, f"{name}: every environment name is DESIGN.md's or the README's", f"unknown: {unknown}")
        for variable, value in sls_env.items():
            match = SSM.match(str(value))
            if variable in entry.get("secrets", []):
                check(match and match.group(1) == variable,
                      f"{name}: {variable} is the parameter's name ssm:${{param:ssmPrefix}}/{variable}, as terraform passes it", f"serverless has {value}")
            elif match or str(value).startswith("ssm:") or "${ssm:" in str(value):
                check(False, f"{name}: {variable} names an SSM parameter in serverless only", "terraform passes no parameter for it")
        # The role serverless gives the function is the one terraform made for it, which may read exactly
        # this function's parameters (permissions.tf, checked by scripts/terraform_evaluate.py).
        camel = name.split("-")[0] + "".join(part.title() for part in name.split("-")[1:])
        check(sls_functions[name].get("role") == "${param:" + camel + "RoleArn}",
              f"serverless {name}: runs with terraform's role for {name} (its own parameters only)", f"role: {sls_functions[name].get('role')}")

    # 5. Consumers: the same names on both sides, fed by SQS with partial batch responses.
    for name in sorted(set(tf_consumers) & set(sls_consumer_functions)):
        tf_names, sls_names = set(tf_consumers[name]), set(sls_consumer_functions[name].get("environment") or {})
        check(tf_names == sls_names, f"{name}: the same environment names in terraform/consumers.tf and serverless/consumers.yml",
              f"only terraform {sorted(tf_names - sls_names)}, only serverless {sorted(sls_names - tf_names)}")
        unknown = sorted(n for n in tf_names | sls_names if n not in known_env)
        check(not unknown, f"{name}: every environment name is DESIGN.md's or the README's (the names the service reads)",
              f"unknown: {unknown}")
        sqs = [e["sqs"] for e in sls_consumer_functions[name].get("events") or [] if "sqs" in e]
        check(sqs and all(e.get("functionResponseType") == "ReportBatchItemFailures" for e in sqs),
              f"serverless {name}: fed by SQS with ReportBatchItemFailures")
    mapping = resource(consumers_module, "aws_lambda_event_source_mapping", "queue")
    check(mapping.get("function_response_types") == ["ReportBatchItemFailures"], "terraform consumers: SQS mappings with ReportBatchItemFailures")
    with open(os.path.join(ROOT, "events", "rules.json")) as handle:
        targets = {rule["target"] for rule in json.load(handle)["rules"]}
    check(targets == set(tf_consumers), "the rules' targets (events/rules.json) are the consumers", f"targets {sorted(targets)}")
    check('file(\\"${path.module}/../events/rules.json\\")' in json.dumps(locals_of(main_tf).get("rules")),
          "terraform reads the rules from events/rules.json", str(locals_of(main_tf).get("rules")))

    # 6. The relay's stream mapping (modules/outbox_relay's, every table's), the same on both sides.
    relay_tf = resource(relay_module, "aws_lambda_event_source_mapping", "stream")
    relay_vars = load_tf("modules/outbox_relay/variables.tf")
    stream = [e["stream"] for e in sls_functions.get("outbox-relay", {}).get("events") or [] if "stream" in e]
    check(len(stream) == 1 and stream[0].get("type") == "dynamodb", "serverless outbox-relay: fed by the table's stream")
    if stream:
        s = stream[0]
        check(relay_tf.get("function_response_types") == ["ReportBatchItemFailures"] and s.get("functionResponseType") == "ReportBatchItemFailures",
              "relay: ReportBatchItemFailures on both sides")
        check(relay_tf.get("bisect_batch_on_function_error") is True and s.get("bisectBatchOnFunctionError") is True, "relay: bisect on error on both sides")
        check(variable_default(relay_vars, "maximum_retry_attempts") == variable_default(variables_tf, "relay_maximum_retry_attempts") == s.get("maximumRetryAttempts"),
              "relay: the same maximum retry attempts", f"serverless {s.get('maximumRetryAttempts')}")
        check(variable_default(relay_vars, "batch_size") == s.get("batchSize"), "relay: the same batch size", f"serverless {s.get('batchSize')}")
        check(relay_tf.get("starting_position") == s.get("startingPosition") == "TRIM_HORIZON", "relay: starting position TRIM_HORIZON on both sides")
        check("onFailure" in (s.get("destinations") or {}) and relay_tf.get("destination_config"), "relay: an on-failure destination on both sides")
        check("OUTBOX#" in json.dumps(s.get("filterPatterns")) and "OUTBOX#" in json.dumps(relay_tf.get("filter_criteria")),
              "relay: only OUTBOX# inserts, on both sides")

    # 7. Every table with an outbox has its stream mapped to an outbox-relay of its own. The consumers
    # write shop.delivery / shop.notifications events as OUTBOX# items in their own tables
    # (DynamoDBOutbox.item), the shape of the payments table's too (PaymentItem.outboxItem adds its paymentId), which
    # outbox-relay reads (OutboxStreamRelay: INSERTs of type outbox) and removes with BatchWriteItem from
    # the table OUTBOX_TABLE names.
    sources = os.path.join(ROOT, "Sources")

    def swift(path):
        with open(os.path.join(sources, path)) as handle:
            return handle.read()

    outbox = swift("Platform/Adapters/AWS/DynamoDBOutbox.swift")
    payment_item = swift("PaymentsStores/DynamoDB/PaymentItem.swift")
    consumer_stores = swift("Services/Delivery/DeliveryService/DynamoDBShipmentStore.swift") + swift("Services/Notification/NotificationService/DynamoDBNotificationStore.swift")
    stream_relay = swift("Platform/Core/EventKit/OutboxStreamRelay.swift")
    check('"OUTBOX#\\(eventID)"' in outbox and '"type"] = "outbox"' in outbox and "DynamoDBOutbox.item(" in payment_item
          and consumer_stores.count("DynamoDBOutbox.item(") >= 2,
          "the payments and consumers' outbox items are one shape (DynamoDBOutbox.item): pk OUTBOX#<eventId>, type outbox (the relay filter's prefix)")
    check("EncodedEvent(json:" in stream_relay and "PaymentEvent" not in stream_relay,
          "outbox-relay reads every service's events alike (EncodedEvent), whatever their source")
    store = outbox
    permissions_tf = locals_of(load_tf("permissions.tf"))
    removal = permissions_tf.get("remove_published_outbox_items", {})
    check('"BatchWriteItem"' in store and "DeleteRequest" in store and removal.get("actions") == ["dynamodb:BatchWriteItem"],
          "every relay's role may BatchWriteItem, the call that removes published outbox items (IAM does not count it as DeleteItem)",
          f"terraform grants {removal.get('actions')}")
    check(json.dumps(removal.get("conditions")).count("OUTBOX#*") == 1, "the relays' BatchWriteItem is held to OUTBOX# keys (dynamodb:LeadingKeys)")
    relay_text = json.dumps(permissions_tf.get("relay_permissions")) + json.dumps(consumers_tf.get("consumer_relay_permissions"))
    read = permissions_tf.get("read_outbox_items", {})
    check(relay_text.count("read_outbox_items") == 2 and sorted(read.get("actions", [])) == ["dynamodb:BatchGetItem", "dynamodb:GetItem"]
          and json.dumps(read.get("conditions")).count("OUTBOX#*") == 1,
          "every relay's role may read outbox items (held to OUTBOX# keys), to skip what it already published", f"{read}")
    check(relay_text.count("remove_published_outbox_items") == 2 and relay_text.count("dynamodb:GetRecords") == 2 and relay_text.count("/stream/*") == 2,
          "the payments relay and each consumer relay read only their own table's stream and hold the removal statement")

    relay_function = module_block(relay_module, "function")
    check(relay_function.get("zip_path") == "${var.dist_dir}/outbox-relay.zip", "terraform modules/outbox_relay: the outbox-relay zip",
          f"zip_path = {relay_function.get('zip_path')}")
    check("destination_config" in relay_tf and "module.failure_queue.arn" in json.dumps(relay_tf.get("destination_config")),
          "terraform modules/outbox_relay: the mapping's on-failure destination is the relay's own failure queue")
    alarm = resource(relay_module, "aws_cloudwatch_metric_alarm", "iterator_age")
    check(alarm.get("metric_name") == "IteratorAge", "terraform modules/outbox_relay: an IteratorAge alarm per relay")
    # One module for every relay: no other file builds a relay's function, mapping or alarm.
    relay_builders = sorted(os.path.relpath(p, TF) for p in glob.glob(os.path.join(TF, "**", "*.tf"), recursive=True)
                            if re.search(r'zip_path\s*=\s*"[^"\n]*outbox-relay\.zip"', open(p).read())
                            or 'resource "aws_lambda_event_source_mapping"' in open(p).read() and "OUTBOX#" in open(p).read())
    check(relay_builders == ["modules/outbox_relay/main.tf"], "terraform: every relay is modules/outbox_relay's (no other stream mapping or relay zip)",
          f"{relay_builders}")
    relay_call = module_block(outbox_relays_doc, "outbox_relay")
    check(relay_call.get("for_each") == "${local.outbox_relays}" and relay_call.get("table_name") == "${each.value.table_name}"
          and relay_call.get("bus_name") == "${module.events.bus_name}",
          "terraform outbox_relays.tf: one modules/outbox_relay per table of local.outbox_relays, on its table and the bus", f"{relay_call}")
    relays_text = str(tf_outbox_relays).replace('\\"', '"')
    check('function = "outbox-relay"' in relays_text and "table_name = module.table.name" in relays_text
          and "stream_arn = module.table.stream_arn" in relays_text,
          "terraform outbox_relays.tf: the payments table's relay is outbox-relay, on the payments table and its stream", relays_text[:400])
    check("local.consumer_tables" in relays_text and "local.consumer_relay_names[consumer]" in relays_text
          and "table_name = table.name" in relays_text and "stream_arn = table.stream_arn" in relays_text,
          "terraform outbox_relays.tf: each enabled consumer table's relay, named consumer_relay_names, on that table and its stream", relays_text[:600])

    payments_stream = stream[0] if stream else {}

    def without_arns(event):
        event = json.loads(json.dumps(event))
        event.pop("arn", None)
        ((event.get("destinations") or {}).get("onFailure") or {}).pop("arn", None)
        return event

    tables = {block_name: block for block in consumers_doc.get("module", []) for block_name, block in block.items()}
    for consumer in sorted(tf_consumers):
        relay = tf_relay_names.get(consumer)
        if not check(relay, f"{consumer}: its table has an outbox-relay in terraform/consumers.tf (consumer_relay_names)", f"names {tf_relay_names}"):
            continue
        table = tables.get(f"{consumer}_table", {})
        check(table.get("stream") is True, f"terraform {consumer}_table: stream on (its outbox travels on it)", f"stream = {table.get('stream')}")
        check(table.get("ttl_attribute") == "expiresAt", f"terraform {consumer}_table: TTL on expiresAt (the store's markers and records expire)",
              f"ttl_attribute = {table.get('ttl_attribute')}")
        store_names = [n for n in tf_consumers[consumer] if n.endswith("_STORE")]
        table_variable = f"{consumer}_table_name"
        check(len(store_names) == 1 and tf_consumers[consumer][store_names[0]] == "dynamodb:${var." + table_variable + "}"
              and table.get("name") == "${var." + table_variable + "}",
              f"terraform {relay}: drains {consumer}'s table, the one its {''.join(store_names)} names (var.{table_variable})",
              f"{consumer} has {tf_consumers[consumer]}, table {table.get('name')}")
        sls_relay = sls_relay_functions.get(relay)
        if not check(sls_relay, f"serverless/consumers.yml deploys {relay}", f"functions {sorted(sls_consumers['functions'])}"):
            continue
        sls_env = sls_relay.get("environment") or {}
        consumer_env = (sls_consumer_functions.get(consumer) or {}).get("environment") or {}
        check(len(store_names) == 1 and "dynamodb:" + str(sls_env.get("OUTBOX_TABLE")) == consumer_env.get(store_names[0])
              and sls_env.get("OUTBOX_EVENTS") == sls_bus and set(sls_env) == relay_env_names,
              f"serverless {relay}: OUTBOX_TABLE is {consumer}'s table, OUTBOX_EVENTS the bus", f"{sls_env}")
        check(sls_relay.get("name") == "${param:functionPrefix}" + relay, f"serverless {relay}: deployed as functionPrefix + its name, as terraform names it")
        events = [e["stream"] for e in sls_relay.get("events") or [] if "stream" in e]
        check(len(events) == 1 and events[0].get("type") == "dynamodb" and consumer in str(events[0].get("arn")).lower()
              and "onFailure" in (events[0].get("destinations") or {}) and consumer in str(events[0]["destinations"]["onFailure"].get("arn")).lower(),
              f"serverless {relay}: fed by {consumer}'s table stream, failures to its own queue", f"{events}")
        if events:
            check(without_arns(events[0]) == without_arns(payments_stream), f"serverless {relay}: the payments relay's stream settings (filter, batch, bisect, retries)",
                  f"{without_arns(events[0])} vs {without_arns(payments_stream)}")

    # 8. Notification's fan-out, as `payments aws init` builds it and the code reads it.
    fan_out_checks(registry, main_tf, variables_tf, consumers_doc, consumers_module, sls_consumer_functions, swift)

    # 9. What the security review asked of the deployment (secrets' names, SMS, bus, queues, the API).
    # (scripts/terraform_evaluate.py has Terraform compute each role's parameters and the environments.)
    security_checks(main_tf, consumers_doc, sls, sls_consumers, swift)

    # 10. One Serverless Framework version: the one both service files pin and every command names.
    pinned = {str(sls.get("frameworkVersion")), str(sls_consumers.get("frameworkVersion"))}
    named = set()
    for folder in ("docs", "scripts", "serverless", "terraform"):
        for path in glob.glob(os.path.join(ROOT, folder, "**", "*"), recursive=True):
            if os.path.isfile(path) and not path.endswith((".pyc",)):
                with open(path, errors="ignore") as handle:
                    named |= set(re.findall(r"serverless@([0-9][^\s`'\"]*)", handle.read()))
    check(len(pinned) == 1 and re.fullmatch(r"\d+\.\d+\.\d+", next(iter(pinned))) and named == pinned,
          "serverless: one exact framework version, pinned in both files and named by every command",
          f"frameworkVersion {sorted(pinned)}, commands name {sorted(named)}")

    passed, failed = results.count(True), results.count(False)
    print(f"deploy consistency: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
