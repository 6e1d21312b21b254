#!/usr/bin/env python3
"""Reduces the botocore models of the AWS APIs Berth serves besides ECS to the facts its
protocol layer needs, one JSON file per service under crates/api/src/models/:

  shapes       type; structure members (with `locationName`), list members (and whether the
               list is `flattened`), map keys and values; `required`, `enum`, `min`, `max`
  operations   input and output shapes, the query protocol's `resultWrapper`, and the
               exceptions the model lists for the operation
  errors       each exception shape's wire code and HTTP status

`api::query` parses requests, checks them and writes answers from these files, so names,
enums, ranges and each operation's error list are the model's and are never typed by hand.

  python3 tools/gen-models.py          # write the files
  python3 tools/gen-models.py --check  # fail if they differ from what the installed botocore gives
"""

import gzip
import json
import os
import sys

import botocore

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(os.path.dirname(botocore.__file__), "data")
SERVICES = {"elbv2": "2015-12-01", "acm": "2015-12-08"}


def reduce(model):
    shapes = model["shapes"]
    out_shapes = {}
    errors = {}
    for name, shape in sorted(shapes.items()):
        if shape.get("exception"):
            error = shape.get("error", {})
            errors[name] = {
                "code": error.get("code", name),
                "status": error.get("httpStatusCode", 400),
            }
            continue
        entry = {"type": shape["type"]}
        for key in ("min", "max", "enum", "required", "flattened", "timestampFormat"):
            if key in shape:
                entry[key] = shape[key]
        if shape["type"] == "structure":
            members = {}
            for member, spec in shape["members"].items():
                m = {"shape": spec["shape"]}
                if "locationName" in spec:
                    m["locationName"] = spec["locationName"]
                members[member] = m
            entry["members"] = members
        elif shape["type"] == "list":
            entry["member"] = shape["member"]["shape"]
            if "locationName" in shape["member"]:
                entry["memberName"] = shape["member"]["locationName"]
        elif shape["type"] == "map":
            entry["key"] = shape["key"]["shape"]
            entry["value"] = shape["value"]["shape"]
        out_shapes[name] = entry
    operations = {}
    for op, spec in sorted(model["operations"].items()):
        entry = {"errors": sorted({e["shape"] for e in spec.get("errors", [])})}
        if "input" in spec:
            entry["input"] = spec["input"]["shape"]
        if "output" in spec:
            entry["output"] = spec["output"]["shape"]
            if "resultWrapper" in spec["output"]:
                entry["resultWrapper"] = spec["output"]["resultWrapper"]
        operations[op] = entry
    meta = model["metadata"]
    return {
        "botocore": botocore.__version__,
        "protocol": meta["protocol"],
        "apiVersion": meta["apiVersion"],
        "xmlNamespace": meta.get("xmlNamespace"),
        "targetPrefix": meta.get("targetPrefix"),
        "signingName": meta.get("signingName", meta["endpointPrefix"]),
        "shapes": out_shapes,
        "operations": operations,
        "errors": errors,
    }


def main():
    check = sys.argv[1:] == ["--check"]
    outputs = {}
    for service, version in SERVICES.items():
        model = json.load(gzip.open(os.path.join(DATA, service, version, "service-2.json.gz")))
        text = json.dumps(reduce(model), separators=(",", ":"), sort_keys=True) + "\n"
        outputs["crates/api/src/models/%s.json" % service] = text
    if check:
        stale = []
        for path, text in sorted(outputs.items()):
            with open(os.path.join(ROOT, path)) as f:
                committed = json.loads(f.read())
            if committed.get("botocore") != botocore.__version__:
                print("not checking %s: it comes from botocore %s, this is %s"
                      % (path, committed.get("botocore"), botocore.__version__), file=sys.stderr)
                continue
            with open(os.path.join(ROOT, path)) as f:
                if f.read() != text:
                    stale.append(path)
        if stale:
            sys.exit("%s differ from what botocore %s gives: run python3 tools/gen-models.py"
                     % (", ".join(stale), botocore.__version__))
        return
    for path, text in outputs.items():
        with open(os.path.join(ROOT, path), "w") as f:
            f.write(text)
    print("wrote %s from botocore %s" % (", ".join(sorted(outputs)), botocore.__version__), file=sys.stderr)


if __name__ == "__main__":
    main()
