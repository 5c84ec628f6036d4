import { SW_TO_SVD } from '../../src/importers/xml/access-vocabulary.ts';
import type { Device, Field, Register } from '../../src/ir/types.ts';
import { registerInstances } from '../../src/ir/walk.ts';

/**
 * specdrive's side of the cmsis-svd comparison: the same one-line description of every concrete
 * register that test/oracle/svd-cmsis-oracle.py prints from cmsis-svd's parse (see the format there).
 */
export function oracleLines(device: Device): string[] {
  const out: string[] = [];
  for (const peripheral of device.peripherals) {
    const count = peripheral.dim ? peripheral.dim.count : 1;
    const { instances } = registerInstances(peripheral);
    for (let element = 0; element < count; element++) {
      const delta = peripheral.dim ? (peripheral.dim.offsets?.[element] ?? element * peripheral.dim.stride) : 0;
      const label = peripheral.dim ? `@${(peripheral.baseAddress + delta).toString(16)}` : peripheral.name;
      for (const i of instances) out.push(registerLine(label, i.address + delta, i.register));
    }
  }
  return out.sort();
}

function svdAccess(sw: Field['access']['sw']): string {
  return SW_TO_SVD[sw] ?? 'read-write';
}

function registerLine(label: string, address: number, r: Register): string {
  const reset = r.resetMask === 0n ? '-' : `${(r.resetValue & r.resetMask).toString(16)}/${r.resetMask.toString(16)}`;
  const fields: [number, string, number, string][] = [];
  for (const f of r.fields) {
    const access = svdAccess(f.access.sw);
    if (!f.dim) {
      fields.push([f.lsb, f.name, f.width, access]);
      continue;
    }
    const pattern = f.dim.namePattern ?? `${f.name}[%s]`;
    for (let i = 0; i < f.dim.count; i++) fields.push([f.lsb + i * f.dim.stride, pattern.replace('%s', f.dim.indices?.[i] ?? String(i)), f.width, access]);
  }
  // Python sorts the tuples (lsb, name, ...): numbers, then names by code point.
  fields.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const text = fields.map(([lsb, name, width, access]) => `${name}:${lsb}:${width}:${access}`).join(' ');
  return `${label} @${address.toString(16)} ${r.size} ${r.access !== undefined ? svdAccess(r.access) : '-'} ${reset} | ${text}`;
}
