#!/usr/bin/env python3
"""Names the tests a `swift test` log shows as started but never ended (scripts/test.sh prints them
when the run fails or is stopped, so a hang names itself). Usage: unfinished_tests.py LOG"""
import re
import sys

started, ended = [], set()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = line.rstrip("\n")
    # XCTest: Test Case 'Suite.testName' started / passed (0.1 seconds) / failed / skipped
    match = re.match(r"Test Case '(.+)' (started|passed|failed|skipped)", line)
    if match:
        (started.append if match.group(2) == "started" else ended.add)(match.group(1))
        continue
    # Swift Testing: "◇ Test name() started." / "✔ Test name(x:) with 3 test cases passed after …" /
    # "✘ Test name() failed …"; a parameterised test's cases ("Test case passing …") end with it.
    match = re.match(r"^\S+ Test (?!case )(.+?\))(?: with \d+ test cases?)? (started|passed|failed|skipped)", line)
    if match:
        (started.append if match.group(2) == "started" else ended.add)(match.group(1))
unfinished = [name for name in started if name not in ended]
if unfinished:
    print("tests started and not ended (a hang is among them):")
    for name in unfinished:
        print("  " + name)
