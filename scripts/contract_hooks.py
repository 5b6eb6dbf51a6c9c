"""schemathesis hooks for scripts/contract_test.sh (loaded with SCHEMATHESIS_HOOKS=contract_hooks).

One custom check, `webhook_unverified_is_400`: schemathesis has none of the providers' secrets, so no
delivery it makes to POST /webhooks/{provider} is signed with them. DESIGN.md: "anything unverified is
rejected and stores nothing", and README: every webhook answers 400 when not verified. So every answer
on a webhook route must be 400, an application/problem+json problem whose type is one of those the
spec lists for an unverified delivery (docs/openapi.yaml, components/responses/WebhookNotVerified).
A 200 here would mean a forged notification was accepted.
"""

import json

import schemathesis

UNVERIFIED_TYPES = {
    "/problems/invalid-signature",
    "/problems/malformed-notification",
    "/problems/invalid-base64",
}


@schemathesis.check
def webhook_unverified_is_400(ctx, response, case):
    """Every delivery schemathesis makes to a webhook route is unsigned or badly signed: it must be a 400 problem."""
    if not case.operation.path.startswith("/webhooks/") or case.method.upper() != "POST":
        return None
    if response.status_code != 400:
        raise AssertionError(
            f"{case.method} {case.operation.path} answered {response.status_code} to a delivery that is not signed "
            f"with the provider's secret: an unverified webhook must be refused with 400"
        )
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if not content_type.startswith("application/problem+json"):
        raise AssertionError(f"the 400 is {content_type!r}, not application/problem+json")
    try:
        problem = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"the 400's body is not JSON: {error}") from error
    if not isinstance(problem, dict) or problem.get("type") not in UNVERIFIED_TYPES:
        raise AssertionError(f"the 400's problem type is {problem.get('type') if isinstance(problem, dict) else problem!r}, "
                             f"not one of {sorted(UNVERIFIED_TYPES)}")
    return True
