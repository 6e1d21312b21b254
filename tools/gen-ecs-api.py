#!/usr/bin/env python3
"""Generates Berth's ECS wire types and validation schema from the botocore ECS model.

The botocore package (`pip install botocore`) ships the authoritative machine-readable
description of the ECS API: every operation, every shape, member names, types, enums and
value ranges. This script turns those facts into:

  crates/api/src/generated.rs   serde structs and enums, one per model shape; the `Operation`
                                enum with, per operation, the exceptions the model lists for it
                                (`Operation::errors`)
  crates/api/src/schema.json    a compact schema the server validates requests against

Run it after upgrading botocore and commit both outputs:

  python3 tools/gen-ecs-api.py

The output depends only on the model (the botocore version is named in generated.rs), so
running it twice writes the same bytes. `--check` writes nothing and fails if the committed
files differ from what the installed botocore gives, when it is the botocore they name (with
another one it only says so; `scripts/test.sh` runs it):

  python3 tools/gen-ecs-api.py --check
"""

import gzip
import json
import os
import re
import subprocess
import sys
import tempfile

import botocore

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(os.path.dirname(botocore.__file__), "data/ecs/2014-11-13/service-2.json.gz")

RUST_KEYWORDS = {
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
}

# Shapes whose Rust name would clash with std or prelude names.
RENAMED_TYPES = {"String": "String", "Integer": "i32", "Long": "i64", "Boolean": "bool"}


def snake(name):
    out = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    out = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", out)
    out = out.lower()
    if out in RUST_KEYWORDS:
        out = "r#" + out
    return out


def variant_name(value):
    parts = re.split(r"[^A-Za-z0-9]+", value)
    name = "".join(p[:1].upper() + p[1:].lower() if p.isupper() or p.islower() else p[:1].upper() + p[1:] for p in parts if p)
    if not name or name[0].isdigit():
        name = "V" + name
    return name


def rust_type(shapes, shape_name):
    shape = shapes[shape_name]
    kind = shape["type"]
    if kind == "structure":
        return shape_name
    if kind == "list":
        return "Vec<%s>" % rust_type(shapes, shape["member"]["shape"])
    if kind == "map":
        return "BTreeMap<%s, %s>" % (
            rust_type(shapes, shape["key"]["shape"]),
            rust_type(shapes, shape["value"]["shape"]),
        )
    if kind == "string":
        return shape_name if "enum" in shape else "String"
    return {
        "integer": "i32",
        "long": "i64",
        "boolean": "bool",
        "double": "f64",
        "timestamp": "f64",
        "blob": "String",
    }[kind]


def rustfmt(text):
    """`text` formatted as rustfmt formats the committed file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "generated.rs")
        with open(path, "w") as f:
            f.write(text)
        subprocess.run(["rustfmt", "--edition", "2024", "--config-path", ROOT, path], check=True)
        with open(path) as f:
            return f.read()


def main():
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] and not check:
        sys.exit("usage: gen-ecs-api.py [--check]")
    model = json.load(gzip.open(MODEL))
    shapes = model["shapes"]
    ops = model["operations"]

    out = []
    w = out.append
    w("//! ECS wire shapes, generated from the botocore ECS model by `tools/gen-ecs-api.py`")
    w("//! (botocore %s)." % botocore.__version__)
    w("//!")
    w("//! Do not edit by hand: change the generator and run it again. Every structure member is")
    w("//! optional except those the model marks required; timestamps are epoch seconds (`f64`).")
    w("")
    w("#![allow(clippy::all, missing_docs, unreachable_pub)]")
    w("")
    w("use std::collections::BTreeMap;")
    w("")
    w("use serde::{Deserialize, Serialize};")
    w("")
    w("use crate::ErrorCode;")
    w("")

    for name in sorted(shapes):
        shape = shapes[name]
        if shape.get("exception"):
            continue
        if shape["type"] == "string" and "enum" in shape:
            seen = set()
            w("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]")
            w("pub enum %s {" % name)
            variants = []
            for value in shape["enum"]:
                v = variant_name(value)
                while v in seen:
                    v += "_"
                seen.add(v)
                variants.append((v, value))
                w('    #[serde(rename = "%s")]' % value)
                w("    %s," % v)
            w("}")
            w("")
            w("impl %s {" % name)
            w("    pub const ALL: &'static [%s] = &[%s];" % (name, ", ".join("Self::%s" % v for v, _ in variants)))
            w("    pub fn as_str(&self) -> &'static str {")
            w("        match self {")
            for v, value in variants:
                w('            Self::%s => "%s",' % (v, value))
            w("        }")
            w("    }")
            w("    pub fn parse(value: &str) -> Option<Self> {")
            w("        match value {")
            for v, value in variants:
                w('            "%s" => Some(Self::%s),' % (value, v))
            w("            _ => None,")
            w("        }")
            w("    }")
            w("}")
            w("")
            w("impl std::fmt::Display for %s {" % name)
            w("    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {")
            w("        f.write_str(self.as_str())")
            w("    }")
            w("}")
            w("")
        elif shape["type"] == "structure":
            required = set(shape.get("required", []))
            all_optional = not required
            derives = "Debug, Clone, PartialEq, Serialize, Deserialize"
            if all_optional:
                derives += ", Default"
            w("#[derive(%s)]" % derives)
            w("pub struct %s {" % name)
            for member, spec in shape["members"].items():
                ty = rust_type(shapes, spec["shape"])
                field = snake(member)
                if member in required:
                    w('    #[serde(rename = "%s")]' % member)
                    w("    pub %s: %s," % (field, ty))
                else:
                    w('    #[serde(rename = "%s", default, skip_serializing_if = "Option::is_none")]' % member)
                    w("    pub %s: Option<%s>," % (field, ty))
            w("}")
            w("")

    w("/// Every operation of the ECS API, as named in `X-Amz-Target`.")
    w("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]")
    w("pub enum Operation {")
    for op in sorted(ops):
        w("    %s," % op)
    w("}")
    w("")
    w("impl Operation {")
    w("    pub const ALL: &'static [Operation] = &[%s];" % ", ".join("Self::%s" % op for op in sorted(ops)))
    w("    pub fn name(&self) -> &'static str {")
    w("        match self {")
    for op in sorted(ops):
        w('            Self::%s => "%s",' % (op, op))
    w("        }")
    w("    }")
    w("    pub fn from_name(name: &str) -> Option<Self> {")
    w("        match name {")
    for op in sorted(ops):
        w('            "%s" => Some(Self::%s),' % (op, op))
    w("            _ => None,")
    w("        }")
    w("    }")
    w("    /// The model shape of the operation's input.")
    w("    pub fn input_shape(&self) -> &'static str {")
    w("        match self {")
    for op in sorted(ops):
        w('            Self::%s => "%s",' % (op, ops[op]["input"]["shape"]))
    w("        }")
    w("    }")
    w("    /// The exceptions the model lists for the operation (`operations.<Op>.errors`), sorted.")
    w("    pub fn errors(self) -> &'static [ErrorCode] {")
    w("        match self {")
    for op in sorted(ops):
        errors = sorted({e["shape"] for e in ops[op].get("errors", [])})
        w("            Self::%s => &[%s]," % (op, ", ".join("ErrorCode::%s" % e for e in errors)))
    w("        }")
    w("    }")
    w("}")
    w("")
    w("/// Every exception shape the model declares.")
    w("pub const EXCEPTIONS: &[&str] = &[%s];" % ", ".join('"%s"' % n for n in sorted(n for n, s in shapes.items() if s.get("exception"))))

    outputs = {"crates/api/src/generated.rs": rustfmt("\n".join(out) + "\n")}

    schema = {"shapes": {}, "operations": {}}
    for name, shape in sorted(shapes.items()):
        if shape.get("exception"):
            continue
        entry = {"type": shape["type"]}
        for key in ("min", "max", "enum", "required"):
            if key in shape:
                entry[key] = shape[key]
        if shape["type"] == "structure":
            entry["members"] = {m: s["shape"] for m, s in shape["members"].items()}
        elif shape["type"] == "list":
            entry["member"] = shape["member"]["shape"]
        elif shape["type"] == "map":
            entry["key"] = shape["key"]["shape"]
            entry["value"] = shape["value"]["shape"]
        schema["shapes"][name] = entry
    for op, spec in sorted(ops.items()):
        schema["operations"][op] = {"input": spec["input"]["shape"], "output": spec.get("output", {}).get("shape")}
    outputs["crates/api/src/schema.json"] = json.dumps(schema, separators=(",", ":"), sort_keys=True) + "\n"

    if check:
        # The committed files name the botocore they came from. Another botocore (a machine
        # with an older or newer one) is no reason to fail: only the same model must give the
        # same files.
        committed = re.search(
            r"\(botocore ([0-9.]+)\)", open(os.path.join(ROOT, "crates/api/src/generated.rs")).read()
        )
        if committed and committed.group(1) != botocore.__version__:
            print(
                "not checking the generated files: they come from botocore %s, this is %s"
                % (committed.group(1), botocore.__version__),
                file=sys.stderr,
            )
            return
        stale = []
        for path, text in sorted(outputs.items()):
            with open(os.path.join(ROOT, path)) as f:
                if f.read() != text:
                    stale.append(path)
        if stale:
            sys.exit(
                "%s differ from what botocore %s generates: run python3 tools/gen-ecs-api.py"
                % (", ".join(stale), botocore.__version__)
            )
        print("generated files are current (botocore %s)" % botocore.__version__, file=sys.stderr)
        return
    for path, text in sorted(outputs.items()):
        with open(os.path.join(ROOT, path), "w") as f:
            f.write(text)
    print("generated %d shapes, %d operations from botocore %s" % (len(shapes), len(ops), botocore.__version__), file=sys.stderr)


if __name__ == "__main__":
    main()
