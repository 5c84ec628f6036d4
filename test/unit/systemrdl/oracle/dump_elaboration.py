#!/usr/bin/env python3
"""Oracle for the SystemRDL conformance test: elaborates RDL with systemrdl-compiler and prints
what our compiler must agree with (register addresses, array shapes, field positions, access,
resets) as JSON.

Input (stdin): a JSON list of jobs, each {"files": [paths], "top": name or null, "expand": bool}.
  - a normal job compiles the files in order into one root and elaborates the top;
  - an "expand" job only runs systemrdl-compiler's Perl preprocessor on files[0] and returns the
    expanded text (how the conformance test still checks the files that use embedded Perl, which
    specdrive refuses to run).
Output (stdout): a JSON list of results in the same order.

Needs: pip install systemrdl-compiler   (and perl on PATH for the expand jobs)
"""
import io
import json
import sys
from contextlib import redirect_stderr

from systemrdl import RDLCompiler, RDLCompileError
from systemrdl.node import AddrmapNode, FieldNode, MemNode, RegfileNode, RegNode
from systemrdl.preprocessor.perl_preprocessor import PerlPreprocessor


def enum_name(value):
    return None if value is None else value.name


def dump_field(field: FieldNode):
    reset = field.get_property("reset")
    return {
        "name": field.inst_name,
        "lsb": field.low,
        "width": field.width,
        "sw": field.get_property("sw").name,
        "hw": field.get_property("hw").name,
        "onread": enum_name(field.get_property("onread")),
        "onwrite": enum_name(field.get_property("onwrite")),
        # A string: JSON numbers beyond 2^53 would not survive JavaScript's JSON.parse.
        "reset": str(reset) if isinstance(reset, int) else None,
        "intr": bool(field.get_property("intr")),
        "counter": bool(field.get_property("counter")),
    }


def walk(node, base, prefix, regs):
    for child in node.children(unroll=False):
        if not isinstance(child, (AddrmapNode, RegfileNode, RegNode, MemNode)):
            continue
        address = base + child.inst.addr_offset
        path = prefix + child.inst_name
        dims = list(child.array_dimensions or [])
        stride = child.array_stride if dims else None
        if isinstance(child, RegNode):
            regs.append({
                "path": path,
                "address": address,
                "dims": dims,
                "stride": stride,
                "regwidth": child.get_property("regwidth"),
                "fields": [dump_field(f) for f in child.fields()],
            })
        else:
            # Nested blocks: remember their own shape too, then recurse from element 0.
            regs.append({"path": path, "address": address, "dims": dims, "stride": stride, "block": True})
            walk(child, address, path + ".", regs)


def run_job(job):
    if job.get("expand"):
        rdlc = RDLCompiler()
        text, _ = PerlPreprocessor(rdlc.env, job["files"][0], []).preprocess()
        return {"ok": True, "text": text}
    messages = io.StringIO()
    try:
        with redirect_stderr(messages):
            rdlc = RDLCompiler()
            for path in job["files"]:
                rdlc.compile_file(path)
            root = rdlc.elaborate(top_def_name=job.get("top"))
    except RDLCompileError:
        return {"ok": False, "messages": messages.getvalue()}
    top = root.top
    regs = []
    walk(top, 0, "", regs)
    return {"ok": True, "top": top.inst_name, "regs": regs}


def main():
    jobs = json.load(sys.stdin)
    json.dump([run_job(job) for job in jobs], sys.stdout)


if __name__ == "__main__":
    main()
