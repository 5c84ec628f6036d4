"""Independent register/field counts for the importer count test.

Reads SVD and IP-XACT straight from the XML with Python's ElementTree (no specdrive code), applying
only the CMSIS-SVD derivedFrom rule that changes counts: a derived peripheral, cluster or register
without its own <registers> / children / <fields> takes its base's. Arrays (dim) count once.
Prints one JSON object: {file: {"registers": n, "fields": n}}.
"""
import gzip
import json
import sys
import xml.etree.ElementTree as ET


def local(tag):
    return tag.rsplit('}', 1)[-1]


def kids(el, name):
    return [c for c in el if local(c.tag) == name]


def text(el, name):
    for c in el:
        if local(c.tag) == name:
            return (c.text or '').strip()
    return None


def svd_counts(root):
    peripherals = kids(kids(root, 'peripherals')[0], 'peripheral')
    by_name = {text(p, 'name'): p for p in peripherals}
    # Every register/cluster by name, per peripheral and globally, for derivedFrom lookups.
    def index(container, out):
        for c in container:
            if local(c.tag) in ('register', 'cluster'):
                name = text(c, 'name') or ''
                for key in (name, name.replace('[%s]', '').replace('%s', '')):
                    out.setdefault(key, c)
                index(c, out)
            elif local(c.tag) == 'registers':
                index(c, out)
        return out

    def base_of(el, scope_index, ref):
        parts = ref.split('.')
        if len(parts) == 1:
            return scope_index.get(ref)
        periph = by_name.get(parts[0])
        if periph is not None:
            return index(periph, {}).get(parts[-1])
        return scope_index.get(parts[-1])

    def members(node):
        return [c for c in node if local(c.tag) in ('register', 'cluster')]

    def count_nodes(nodes, scope_index, depth=0):
        regs = fields = 0
        for n in nodes:
            resolved = n
            seen = set()
            # Follow derivedFrom until an element has what this one lacks.
            if local(n.tag) == 'register':
                while not kids(resolved, 'fields') and resolved.get('derivedFrom') and id(resolved) not in seen:
                    seen.add(id(resolved))
                    resolved = base_of(resolved, scope_index, resolved.get('derivedFrom')) or resolved
                regs += 1
                fl = kids(resolved, 'fields')
                fields += len(kids(fl[0], 'field')) if fl else 0
            else:
                while not members(resolved) and resolved.get('derivedFrom') and id(resolved) not in seen:
                    seen.add(id(resolved))
                    resolved = base_of(resolved, scope_index, resolved.get('derivedFrom')) or resolved
                r, f = count_nodes(members(resolved), scope_index, depth + 1)
                regs += r
                fields += f
        return regs, fields

    total_r = total_f = 0
    for p in peripherals:
        resolved = p
        while not kids(resolved, 'registers') and resolved.get('derivedFrom'):
            resolved = by_name[resolved.get('derivedFrom')]
        regs_el = kids(resolved, 'registers')
        if not regs_el:
            continue
        r, f = count_nodes(members(regs_el[0]), index(resolved, {}))
        total_r += r
        total_f += f
    return total_r, total_f


def ipxact_counts(root):
    regs = fields = 0
    for el in root.iter():
        if local(el.tag) == 'register':
            regs += 1
            fields += len(kids(el, 'field'))
    return regs, fields


out = {}
for path in sys.argv[1:]:
    data = gzip.open(path).read() if path.endswith('.gz') else open(path, 'rb').read()
    root = ET.fromstring(data)
    r, f = ipxact_counts(root) if local(root.tag) == 'component' else svd_counts(root)
    out[path] = {'registers': r, 'fields': f}
print(json.dumps(out))
