#!/usr/bin/env python3
"""What Terraform would put in its state for the functions' secrets, evaluated by Terraform itself.

    python3 scripts/terraform_evaluate.py

Terraform's AWS provider cannot be downloaded on the build machine, so `plan` cannot run on terraform/.
But functions.tf (the functions' environments) and permissions.tf (their roles' statements) are plain
expressions over variables: this copies them with variables.tf into a scratch folder, stands in fixed
ARNs for the few provider and module values permissions.tf reads (the account, region, the table's,
keys' and bus's ARNs), and has a provider-less `terraform apply` compute them into a scratch state. Then:

- every configuration file: no data source that reads a secret (aws_ssm_parameter, ...), no
  with_decryption, no aws_ssm_parameter resource (a value Terraform writes is in its state);
- the resolved environments: each secret a function reads is `ssm:PREFIX/NAME` and nothing else, for
  the default prefix and another; the scratch state holds no secret value (it holds only those names);
- the resolved roles: each function may `ssm:GetParameter` exactly its own secrets' parameter ARNs and
  `kms:Decrypt` the secrets key only with kms:EncryptionContext:PARAMETER_ARN among those same ARNs
  (and kms:ViaService SSM); a function without secrets has neither;
- with both consumers on: only notification may publish to SNS, to no SNS ARN (phone numbers only);
  NOTIFICATION_SMS_COUNTRIES from the variable; the bus policy (bus_policy.tf) denies each source's
  PutEvents to every principal but its table's relay role, and those are exactly the roles that may
  PutEvents;
- the variables' validations: payment_routes_authorization = NONE refused unless
  allow_unauthenticated_payment_routes; Notification with SMS refused without notification_sms_countries;
  a malformed calling code or parameter prefix refused.

Needs terraform (skipped, with a note, when absent) and python-hcl2. Ends with
"terraform evaluation: N passed, M failed".
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import hcl2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TF = os.path.join(ROOT, "terraform")

ACCOUNT, REGION = "123456789012", "us-east-1"
SECRETS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/secrets-key"
# What permissions.tf reads from providers and other modules, and what stands in for it here.
STAND_INS = {
    "data.aws_region.current.name": REGION,
    "data.aws_caller_identity.current.account_id": ACCOUNT,
    "data.aws_partition.current.partition": "aws",
    "module.table.kms_key_arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/table-key",
    "module.table.arn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/payments",
    "module.kms.key_arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/platform-key",
    "module.events.bus_arn": f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/shop",
    'module.outbox_relay["payments"].failure_queue_arn': f"arn:aws:sqs:{REGION}:{ACCOUNT}:payments-outbox-relay-failures",
    "aws_kms_key.secrets.arn": SECRETS_KEY,
}
# What consumers.tf reads from the modules it calls: expressions, not strings (`consumer` is the
# comprehension's variable where the original indexes a module by it).
TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table"
QUEUE = f"arn:aws:sqs:{REGION}:{ACCOUNT}"
EXPRESSION_STAND_INS = {
    "module.outbox_relay[consumer].failure_queue_arn": f'"{QUEUE}:${{consumer}}-outbox-relay-failures"',
    'module.events.queue_arns["delivery"]': f'"{QUEUE}:shop-delivery"',
    'module.events.channel_queue_arns["notification"]': f'{{ email = "{QUEUE}:shop-notification-email", sms = "{QUEUE}:shop-notification-sms" }}',
}
for table, name in (("delivery_table", "delivery"), ("notification_table", "notifications")):
    EXPRESSION_STAND_INS.update({
        f"module.{table}[0].name": f'"{name}"',
        f"module.{table}[0].arn": f'"{TABLE}/{name}"',
        f"module.{table}[0].stream_arn": f'"{TABLE}/{name}/stream/2026-12-04T00:00:00.000"',
        f"module.{table}[0].kms_key_arn": f'"arn:aws:kms:{REGION}:{ACCOUNT}:key/{name}-table-key"',
    })
# Data sources and resources that would put a secret's value in the state.
SECRET_READERS = {"aws_ssm_parameter", "aws_ssm_parameters_by_path", "aws_secretsmanager_secret_version", "aws_kms_secrets",
                  "aws_kms_secret"}

results = []


def check(condition, what, detail=""):
    results.append(bool(condition))
    print(("ok   " if condition else "FAIL ") + what + ("" if condition or not detail else f"\n       {detail}"))
    return condition


def static_checks():
    for path in sorted(glob.glob(os.path.join(TF, "**", "*.tf"), recursive=True)):
        name = os.path.relpath(path, ROOT)
        with open(path) as handle:
            text = handle.read()
        with open(path) as handle:
            document = hcl2.load(handle)
        data = {kind for block in document.get("data", []) for kind in block}
        resources = {kind for block in document.get("resource", []) for kind in block}
        check(not (data & SECRET_READERS), f"{name}: no data source reads a secret", f"data {sorted(data & SECRET_READERS)}")
        check("aws_ssm_parameter" not in resources, f"{name}: makes no SSM parameter (its value would be in the state)")
        check("with_decryption" not in text, f"{name}: decrypts nothing (with_decryption)")


def catalogue():
    with open(os.path.join(TF, "functions.tf")) as handle:
        document = hcl2.load(handle)
    for block in document.get("locals", []):
        if "catalogue" in block:
            return {name.strip('"'): [s.strip('"') for s in f["secrets"]] for name, f in block["catalogue"].items()}
    raise SystemExit("functions.tf has no local.catalogue")


def without_blocks(text, starts):
    """The text without its top-level blocks that begin with one of `starts` (module calls, moved blocks):
    the locals stay. Braces are counted, those of "${...}" included, which balance as well."""
    out, index = [], 0
    pattern = re.compile(r"^(?:" + "|".join(re.escape(s) for s in starts) + r")[^\n]*\{", re.M)
    for match in pattern.finditer(text):
        if match.start() < index:
            continue
        out.append(text[index:match.start()])
        depth, position = 0, match.end() - 1
        while True:
            depth += {"{": 1, "}": -1}.get(text[position], 0)
            position += 1
            if depth == 0:
                break
        index = position
    out.append(text[index:])
    return "".join(out)


def stand_in(text, name):
    for reference, value in EXPRESSION_STAND_INS.items():
        text = text.replace(reference, value)
    for reference, value in STAND_INS.items():
        text = text.replace(reference, json.dumps(value))
    left = sorted(set(re.findall(r"\b(?:data|module)\.[\w.\[\]\"]+|\baws_\w+\.\w+\.\w+", text)))
    check(not left, f"{name} reads nothing from providers or modules but the values this script stands in for",
          f"unknown references {left}: add them to STAND_INS")
    return text


def scratch_folder():
    folder = tempfile.mkdtemp(prefix="tf-evaluate-")
    for name in ("variables.tf", "functions.tf"):
        shutil.copy(os.path.join(TF, name), folder)
    for name in ("permissions.tf", "consumers.tf", "bus_policy.tf"):
        with open(os.path.join(TF, name)) as handle:
            text = without_blocks(handle.read(), ('module "', "moved "))
        with open(os.path.join(folder, name), "w") as handle:
            handle.write(stand_in(text, name))
    with open(os.path.join(folder, "evaluate.tf"), "w") as handle:
        for output in ("environments", "permissions", "consumer_environments", "bus_policy"):
            handle.write(f'output "{output}" {{\n  value = local.{output}\n}}\n')
    return folder


def terraform(folder, *args, merged=True):
    environment = dict(os.environ, TF_IN_AUTOMATION="1", TF_INPUT="0", CHECKPOINT_DISABLE="1")
    return subprocess.run(["terraform", f"-chdir={folder}", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if merged else subprocess.PIPE, text=True, env=environment)


def apply(folder, what, *variables):
    args = ["apply", "-auto-approve", "-no-color"]
    for variable in variables:
        args += ["-var", variable]
    applied = terraform(folder, *args)
    if not check(applied.returncode == 0, f"terraform evaluates {what}", applied.stdout[-2000:]):
        return None
    outputs = json.loads(terraform(folder, "output", "-json", merged=False).stdout)
    with open(os.path.join(folder, "terraform.tfstate")) as handle:
        state = handle.read()
    os.remove(os.path.join(folder, "terraform.tfstate"))
    return {name: output["value"] for name, output in outputs.items()}, state


def evaluate(folder, prefix):
    evaluated = apply(folder, f"the environments and roles (prefix {prefix})", f"ssm_parameter_prefix={prefix}")
    if not evaluated:
        return None
    outputs, state = evaluated
    return outputs["environments"], outputs["permissions"], state


def resolved_checks(folder, secrets, prefix):
    evaluated = evaluate(folder, prefix)
    if not evaluated:
        return
    environments, permissions, state = evaluated
    # outbox-relay's environment is modules/outbox_relay's (the table and the bus, no secret): its role is
    # checked here all the same.
    for name in sorted(set(environments) | set(secrets)):
        environment = environments.get(name, {})
        arns = [f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{prefix}/{secret}" for secret in secrets[name]]
        wanted = {secret: f"ssm:{prefix}/{secret}" for secret in secrets[name]}
        check({k: v for k, v in environment.items() if k in wanted} == wanted,
              f"{name}: each secret's variable is its parameter's name ssm:{prefix}/NAME", f"{environment}")
        others = {k: v for k, v in environment.items() if k not in wanted}
        check(not any(str(v).startswith("ssm:") for v in others.values()), f"{name}: no other variable names a parameter", f"{others}")

        statements = {s["sid"]: s for s in permissions[name]}
        reads = statements.get("ReadOwnSecrets")
        decrypt = statements.get("DecryptOwnSecrets")
        others = [s for s in permissions[name] if s["sid"] not in ("ReadOwnSecrets", "DecryptOwnSecrets")]
        check(not any(a.startswith("ssm:") for s in others for a in s["actions"])
              and not any(SECRETS_KEY in s.get("resources", []) for s in others),
              f"{name}: no other statement touches SSM or the secrets key")
        if not secrets[name]:
            check(reads is None and decrypt is None, f"{name}: reads no secret, may read no parameter", f"{reads} {decrypt}")
            continue
        check(reads and reads["actions"] == ["ssm:GetParameter"] and sorted(reads["resources"]) == sorted(arns) and not reads["conditions"],
              f"{name}: may GetParameter exactly its own parameters {secrets[name]}", f"{reads}")
        conditions = {c["variable"]: (c["test"], sorted(c["values"])) for c in (decrypt or {}).get("conditions", [])}
        check(decrypt and decrypt["actions"] == ["kms:Decrypt"] and decrypt["resources"] == [SECRETS_KEY]
              and conditions == {"kms:EncryptionContext:PARAMETER_ARN": ("StringEquals", sorted(arns)),
                                 "kms:ViaService": ("StringEquals", [f"ssm.{REGION}.amazonaws.com"])},
              f"{name}: may decrypt with the secrets key only its own parameters (PARAMETER_ARN), through SSM", f"{decrypt}")
    # The state holds names only: every mention of a secret's name in it is in a parameter name or ARN.
    for secret in sorted({s for names in secrets.values() for s in names}):
        mentions = re.findall(r'"[^"]*\b' + secret + r'\b[^"]*"', state)
        check(all(f"{prefix}/{secret}" in m or m == f'"{secret}"' for m in mentions),
              f"the state mentions {secret} only as a name (ssm:{prefix}/{secret}, its ARN, the variable)",
              f"{[m for m in mentions if f'{prefix}/{secret}' not in m][:3]}")


def consumer_checks(folder, prefix):
    """With both consumers on: notification's SMS statement, the consumers' settings, and the bus policy
    against the roles that may PutEvents."""
    evaluated = apply(folder, f"the consumers' roles and settings and the bus policy (function prefix {prefix!r})",
                      "enable_delivery=true", "enable_notification=true", 'notification_sms_countries=["1","+44"]',
                      f"function_name_prefix={prefix}")
    if not evaluated:
        return
    outputs, _ = evaluated
    permissions = outputs["permissions"]
    publishes = [(name, s) for name, statements in permissions.items() for s in statements
                 if any(a in ("sns:Publish", "sns:*", "*") for a in s["actions"])]
    check([(name, s["sid"]) for name, s in publishes] == [("notification", "SendSMSOnly")],
          "only notification may publish to SNS", f"{publishes}")
    sms = dict(publishes).get("notification", {})
    check(sms.get("actions") == ["sns:Publish"] and sms.get("resources") == [] and sms.get("not_resources") == ["arn:*:sns:*:*:*"]
          and not sms.get("conditions"),
          "notification may sns:Publish to no SNS ARN (no topic, no endpoint): phone numbers only", f"{sms}")
    check(not any(s["sid"] in ("ReadOwnSecrets", "DecryptOwnSecrets") for name in
                  ("delivery", "notification", "delivery-outbox-relay", "notification-outbox-relay") for s in permissions.get(name, [])),
          "the consumers and their relays read no secret")
    check(outputs["consumer_environments"]["notification"].get("NOTIFICATION_SMS_COUNTRIES") == "1,+44",
          "notification gets NOTIFICATION_SMS_COUNTRIES from notification_sms_countries", f"{outputs['consumer_environments']}")

    # The bus policy's exceptions are exactly the roles that may PutEvents, each for its own table's source.
    policy = json.loads(outputs["bus_policy"])
    putters = sorted(name for name, statements in permissions.items() for s in statements if "events:PutEvents" in s["actions"])
    excepted = {}
    for statement in policy["Statement"]:
        condition = statement.get("Condition", {})
        sources = condition.get("ForAnyValue:StringEquals", {}).get("events:source", [])
        principals = condition.get("ArnNotEquals", {}).get("aws:PrincipalArn", [])
        check(statement.get("Effect") == "Deny" and statement.get("Principal") == "*" and statement.get("Action") == "events:PutEvents"
              and statement.get("Resource") == STAND_INS["module.events.bus_arn"] and len(sources) == 1 and len(principals) == 1,
              f"bus policy {statement.get('Sid')}: denies everyone PutEvents of one source on the bus, but one role", f"{statement}")
        for source in sources:
            excepted[source] = [p.split(":role/")[-1] for p in principals]
    wanted = {"shop.payments": [f"{prefix}outbox-relay"], "shop.delivery": [f"{prefix}delivery-outbox-relay"],
              "shop.notifications": [f"{prefix}notification-outbox-relay"]}
    check(excepted == wanted, "the bus policy lets each source be put only by its table's relay role", f"{excepted}")
    check(sorted(f"{prefix}{name}" for name in putters) == sorted(r for roles in excepted.values() for r in roles),
          "the roles that may PutEvents are the relays the bus policy excepts, no other", f"putters {putters}")
    check(all(p.startswith(f"arn:aws:iam::{ACCOUNT}:role/") for s in policy["Statement"]
              for p in s["Condition"]["ArnNotEquals"]["aws:PrincipalArn"]), "the excepted principals are roles of this account")


def validation_checks(folder):
    def plan(*variables):
        args = ["plan", "-no-color", "-lock=false", "-refresh=false"]
        for variable in variables:
            args += ["-var", variable]
        return terraform(folder, *args)

    cases = [
        (["payment_routes_authorization=NONE"], False, "allow_unauthenticated_payment_routes",
         "payment_routes_authorization = NONE is refused without allow_unauthenticated_payment_routes"),
        (["payment_routes_authorization=NONE", "allow_unauthenticated_payment_routes=true"], True, None,
         "payment_routes_authorization = NONE is taken with allow_unauthenticated_payment_routes = true"),
        (["payment_routes_authorization=AWS_IAM"], True, None, "payment_routes_authorization = AWS_IAM is taken"),
        (["enable_notification=true"], False, "notification_sms_countries",
         "Notification with SMS is refused without notification_sms_countries"),
        (["enable_notification=true", 'notification_sms_countries=["1","44","+49"]'], True, None,
         "Notification with SMS is taken with notification_sms_countries 1, 44, +49"),
        (["enable_notification=true", 'notification_channels=["email"]'], True, None,
         "Notification without SMS needs no notification_sms_countries"),
        (['notification_sms_countries=["DE"]'], False, "calling codes", "a country given as DE (not a calling code) is refused"),
        (['notification_sms_countries=["4412"]'], False, "calling codes", "a calling code of four digits is refused"),
        (["ssm_parameter_prefix=payments"], False, "leading slash", "a parameter prefix without its leading slash is refused"),
        (["ssm_parameter_prefix=/payments/"], False, "leading slash", "a parameter prefix ending in a slash is refused"),
        (["sms_monthly_spend_limit=-1"], False, "whole number", "a negative SMS spend limit is refused"),
    ]
    for variables, accepted, message, what in cases:
        result = plan(*variables)
        ok = (result.returncode == 0) if accepted else (result.returncode != 0 and message in result.stdout)
        check(ok, what, result.stdout[-1500:])


def main():
    static_checks()
    if not shutil.which("terraform"):
        print("no terraform binary: the evaluation is skipped")
    else:
        secrets = catalogue()
        folder = scratch_folder()
        try:
            initialised = terraform(folder, "init", "-backend=false", "-no-color")
            if check(initialised.returncode == 0, "terraform init of the scratch copy (no provider needed)", initialised.stdout[-1500:]):
                resolved_checks(folder, secrets, "/payments")
                resolved_checks(folder, secrets, "/shop/prod")
                consumer_checks(folder, "")
                consumer_checks(folder, "staging-")
                validation_checks(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    passed, failed = results.count(True), results.count(False)
    print(f"terraform evaluation: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
