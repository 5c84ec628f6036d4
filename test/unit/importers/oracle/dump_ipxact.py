#!/usr/bin/env python3
"""Oracle for the IP-XACT import tests: reads IP-XACT files with peakrdl-ipxact (through
systemrdl-compiler) and prints, per file, the registers it sees as JSON: path below the address
block, absolute address, array shape, and per field its bits, software access and reset. Resets are
written as decimal strings so values above 2^53 stay exact.

Input (stdin): a JSON list of file paths. Output (stdout): a JSON list of results in the same order,
each {"ok": true, "regs": [...]} or {"ok": false, "error": "..."}.

Needs: pip install peakrdl-ipxact (pinned in .ci/python-requirements.txt)
"""
import json
import sys

from peakrdl_ipxact import IPXACTImporter
from systemrdl import RDLCompiler
from systemrdl.node import AddrmapNode, RegfileNode, RegNode


def dump_field(field):
    reset = field.get_property("reset")
    return {
        "name": field.inst_name,
        "lsb": field.low,
        "width": field.width,
        "sw": field.get_property("sw").name,
        "reset": str(reset) if isinstance(reset, int) else None,
    }


def walk(node, base, prefix, regs):
    for child in node.children(unroll=False):
        if not isinstance(child, (AddrmapNode, RegfileNode, RegNode)):
            continue
        address = base + child.inst.addr_offset
        path = prefix + child.inst_name
        dims = list(child.array_dimensions or [])
        if isinstance(child, RegNode):
            regs.append({
                "path": path,
                "address": address,
                "count": 1 if not dims else eval_product(dims),
                "stride": child.array_stride if dims else None,
                "fields": [dump_field(f) for f in child.fields()],
            })
        else:
            walk(child, address, path + ".", regs)


def eval_product(dims):
    out = 1
    for d in dims:
        out *= d
    return out


def run(path):
    try:
        rdlc = RDLCompiler()
        IPXACTImporter(rdlc).import_file(path)
        root = rdlc.elaborate()
    except Exception as e:  # the importer raises plain ValueErrors on expressions it cannot read
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}
    regs = []
    # The top addrmap is <component>__<memoryMap>; each address block is a child addrmap.
    walk(root.top, 0, "", regs)
    return {"ok": True, "regs": regs}


def main():
    json.dump([run(p) for p in json.load(sys.stdin)], sys.stdout)


if __name__ == "__main__":
    main()
