#!/usr/bin/env python3
"""moto_server, plus the one hop moto 5.2.1 lacks: an EventBridge rule whose target is an SNS topic.

moto's EventBridge delivers to SQS queues, log groups, archives and buses, and answers PutEvents with a
500 (NotImplementedError) when a matching rule targets anything else. In AWS, a rule targeting an SNS
topic publishes the event (the same JSON an SQS target gets) as the topic's message; this does exactly
that, in-process, through moto's own SNS backend, so the topic's subscriptions (the notification
channels' queues) fan it out as AWS would. Everything else is moto unchanged.

Test tooling only (scripts/aws_e2e_test.sh):  python3 scripts/moto_server.py -H 127.0.0.1 -p PORT
"""
import json
import sys

from moto.core.utils import iso_8601_datetime_without_milliseconds, utcfromtimestamp
from moto.events.models import Rule
from moto.server import main
from moto.sns.models import sns_backends
from moto.utilities.arns import parse_arn

_send_to_targets = Rule.send_to_targets


def send_to_targets(self, original_event, transform_input=True):
    topics = [t for t in self.targets if t["Arn"].startswith("arn:aws:sns:")]
    if not topics:
        return _send_to_targets(self, original_event, transform_input)
    every = self.targets
    self.targets = [t for t in every if t not in topics]
    try:
        _send_to_targets(self, original_event, transform_input)
    finally:
        self.targets = every
    if not self.event_pattern.matches_event(original_event):
        return
    event = dict(original_event)
    if "time" in event and not isinstance(event["time"], str):
        # As moto writes it for an SQS target.
        event["time"] = iso_8601_datetime_without_milliseconds(utcfromtimestamp(float(event["time"])))
    for target in topics:
        arn = parse_arn(target["Arn"])
        sns_backends[arn.account][arn.region].publish(message=json.dumps(event), arn=target["Arn"])


Rule.send_to_targets = send_to_targets

if __name__ == "__main__":
    sys.exit(main())
