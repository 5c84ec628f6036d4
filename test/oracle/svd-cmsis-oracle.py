"""The reference parse of CMSIS-SVD files by the cmsis-svd Python package (pip cmsis-svd, installed by
.ci/run; the test names the version it ran with).

Prints one JSON object {file: {"version": v, "registers": [line, ...]}} (or {"version", "error"} when
cmsis-svd itself fails on the file) where each line describes one
concrete register (arrays expanded, absolute address) in a form specdrive's side builds the same way
(test/oracle/svd-oracle-lines.ts):

    <peripheral> @<address> <size> <access> <reset>/<mask> | <field>:<lsb>:<width>:<access> ...

- peripheral: its name, or `@<base>` for an element of a peripheral array (cmsis-svd and specdrive
  name array elements differently);
- register names are left out: cmsis-svd 0.6 prefixes cluster names (`CH[0]_CTRL`) where specdrive
  keeps paths; the address, size, access, reset and fields identify the register;
- access: the effective register access (inherited from cluster, peripheral, device), `-` when none;
- reset: value AND mask in hex, mask defaulting to all ones when only a value is given, `-` when
  none or when the mask is 0 (nothing defined);
- fields: sorted by lsb then name; a field's access defaults to the register's, then read-write.

Registers are collected by walking the parsed model, not with get_registers(): cmsis-svd 0.6 relocates
a cluster's own registers by the cluster offset but not those of nested clusters, so the walk adds the
enclosing clusters' offsets itself.
"""
import gzip
import json
import os
import sys
import tempfile

from importlib.metadata import version

from cmsis_svd.parser import SVDParser
from cmsis_svd.model import SVDPeripheralArray, SVDRegister, SVDRegisterArray, SVDRegisterCluster, SVDRegisterClusterArray


def access_text(access):
    return access.value if access is not None else None


def bits(f):
    if f.bit_offset is not None:
        return f.bit_offset, f.bit_width if f.bit_width is not None else 1
    if f.lsb is not None and f.msb is not None:
        return min(f.lsb, f.msb), abs(f.msb - f.lsb) + 1
    if f.bit_range:
        msb, lsb = f.bit_range.strip('[]').split(':')
        return int(lsb), int(msb) - int(lsb) + 1
    return None, None


def register_line(label, address, r):
    size = r.size if r.size is not None else 32
    mask_all = (1 << size) - 1
    if r.reset_value is None and r.reset_mask is None:
        reset = '-'
    else:
        value = r.reset_value or 0
        mask = r.reset_mask if r.reset_mask is not None else mask_all
        reset = '%x/%x' % (value & mask, mask) if mask != 0 else '-'
    reg_access = access_text(r.access)
    fields = []
    for f in r.get_fields():
        lsb, width = bits(f)
        fields.append((lsb, f.name, width, access_text(f.access) or reg_access or 'read-write'))
    fields.sort()
    text = ' '.join('%s:%d:%d:%s' % (name, lsb, width, acc) for lsb, name, width, acc in fields)
    return '%s @%x %d %s %s | %s' % (label, address, size, reg_access or '-', reset, text)


def walk(nodes, base, label, out):
    """nodes: registers/clusters of a peripheral or cluster; base: address their offsets are relative to."""
    for n in nodes or []:
        if isinstance(n, SVDRegister):
            out.append(register_line(label, base + n.address_offset, n))
        elif isinstance(n, SVDRegisterArray):
            for r in n.registers:
                out.append(register_line(label, base + r.address_offset, r))
        elif isinstance(n, SVDRegisterCluster):
            walk_cluster(n, base, label, out)
        elif isinstance(n, SVDRegisterClusterArray):
            for c in n.clusters:
                walk_cluster(c, base, label, out)


def walk_cluster(c, base, label, out):
    # The cluster's own registers already include its offset (cmsis-svd relocates them); its
    # sub-clusters do not.
    walk(c.registers, base, label, out)
    walk(c.clusters, base + c.address_offset, label, out)


def device_lines(path):
    data = gzip.open(path).read() if path.endswith('.gz') else open(path, 'rb').read()
    with tempfile.NamedTemporaryFile(suffix='.svd', delete=False) as tmp:
        tmp.write(data)
    try:
        device = SVDParser.for_xml_file(tmp.name).get_device()
    finally:
        os.unlink(tmp.name)
    out = []
    for p in device.peripherals:
        members = p.peripherals if isinstance(p, SVDPeripheralArray) else [p]
        for q in members:
            label = '@%x' % q.base_address if isinstance(p, SVDPeripheralArray) else q.name
            walk(q.registers, q.base_address, label, out)
    return sorted(out)


result = {}
for path in sys.argv[1:]:
    try:
        result[path] = {'version': version('cmsis-svd'), 'registers': device_lines(path)}
    except Exception as e:  # the reference tool itself fails on some vendor files: say so, per file
        result[path] = {'version': version('cmsis-svd'), 'error': '%s: %s' % (type(e).__name__, e)}
print(json.dumps(result))
