"""Reads a `mailsift report --format prometheus` file with prometheus_client's own parser.

Usage: python check_prometheus.py FILE

The parser is not ours, so it catches what our own reading of the format would share with
the renderer. Beyond what the parser enforces, this checks what the exposition format asks
and the parser forgives: every family once, typed and described before its samples, no label
set twice, every sample of a family with the same label names, no control character in a
label value. It prints the parsed families as JSON for the calling test to check values:
{"families": [{"name", "type", "help", "samples": [{"name", "labels", "value"}]}]}.
Any breach is written to standard error and the exit status is 1.
"""

import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def fail(message):
    sys.stderr.write("check_prometheus: " + message + "\n")
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        fail("usage: check_prometheus.py FILE")
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    if not text.endswith("\n"):
        fail("the text does not end with a line feed")

    # The line-level rules, read off the raw text.
    seen_help, seen_type, closed = set(), set(), set()
    current = None
    for number, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            name = line.split(" ")[2]
            kind = seen_help if line.startswith("# HELP ") else seen_type
            if name in kind:
                fail("line %d: a second %s for %s" % (number, line[2:6], name))
            kind.add(name)
            if name != current:
                if current is not None:
                    closed.add(current)
                if name in closed:
                    fail("line %d: family %s comes back after another" % (number, name))
                current = name
            continue
        if line == "" or line.startswith("#"):
            fail("line %d: an empty line or a stray comment: %r" % (number, line))
        name = line.split("{")[0].split(" ")[0]
        if name != current or name not in seen_type or name not in seen_help:
            fail("line %d: sample %s outside its family or before its HELP and TYPE" % (number, name))

    families = list(text_string_to_metric_families(text))
    names = [f.name for f in families]
    if len(names) != len(set(names)):
        fail("a family is split: %r" % names)
    if names != sorted(names):
        fail("families are not in name order: %r" % names)
    out = []
    for family in families:
        if family.type != "gauge":
            fail("%s is a %s, not a gauge" % (family.name, family.type))
        if not family.documentation:
            fail("%s has no HELP" % family.name)
        label_names = None
        label_sets = set()
        samples = []
        for sample in family.samples:
            if sample.name != family.name:
                fail("%s holds a sample named %s" % (family.name, sample.name))
            if sample.timestamp is not None:
                fail("%s carries a timestamp, which the textfile collector refuses" % sample.name)
            if math.isnan(sample.value) or math.isinf(sample.value):
                fail("%s has the value %r" % (sample.name, sample.value))
            names_here = tuple(sorted(sample.labels))
            if label_names is None:
                label_names = names_here
            elif names_here != label_names:
                fail("%s mixes label names %r and %r" % (family.name, label_names, names_here))
            key = tuple(sorted(sample.labels.items()))
            if key in label_sets:
                fail("%s has the label set %r twice" % (family.name, key))
            label_sets.add(key)
            for value in sample.labels.values():
                if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value):
                    fail("%s has a control character in a label value: %r" % (family.name, value))
            samples.append({"name": sample.name, "labels": sample.labels, "value": sample.value})
        out.append(
            {
                "name": family.name,
                "type": family.type,
                "help": family.documentation,
                "samples": samples,
            }
        )
    json.dump({"families": out}, sys.stdout)
    sys.stdout.write("\n")


main()
