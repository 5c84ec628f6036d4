import type { Cpu } from '../../ir/types.ts';
import { attribute, child, childrenNamed } from '../xml/index.ts';
import type { SvdContext } from './context.ts';
import { parseSvdInteger } from './numbers.ts';

/** The pass over specdrive's own `<vendorExtensions>` (written by src/exporters/svd.ts): what SVD has no element for. */

/** The namespace of specdrive's own `<vendorExtensions>` content. */
export const SPECDRIVE_SVD_NAMESPACE = 'https://specdrive.dev/svd-extensions/1';

/** What specdrive's exporter recorded about the device. */
export interface Extensions {
  name?: string;
  noDescription?: boolean;
  noVersion?: boolean;
  /** The core name when the schema's list has no such name (written `other`), and the cpu members written as defaults. */
  cpuName?: string;
  cpuAbsent?: string[];
}

/** Reads the extensions; cluster byte sizes go to `ctx.clusterSizes`. */
export function readExtensions(ctx: SvdContext): Extensions {
  const extensions = child(ctx.device, 'vendorExtensions');
  const out: Extensions = {};
  for (const group of extensions ? childrenNamed(extensions, 'ir') : []) {
    const prefix = group.name.includes(':') ? group.name.slice(0, group.name.indexOf(':')) : '';
    if (attribute(group, prefix ? `xmlns:${prefix}` : 'xmlns') !== SPECDRIVE_SVD_NAMESPACE) continue;
    for (const c of group.children) {
      if (c.local === 'cluster') {
        const path = attribute(c, 'path');
        const size = parseSvdInteger(attribute(c, 'size') ?? '');
        if (path !== undefined && size !== undefined) ctx.clusterSizes.set(path, size);
      } else if (c.local === 'device') {
        const name = attribute(c, 'name');
        if (name !== undefined) out.name = name;
        if (attribute(c, 'noDescription') === 'true') out.noDescription = true;
        if (attribute(c, 'noVersion') === 'true') out.noVersion = true;
      } else if (c.local === 'cpu') {
        const name = attribute(c, 'name');
        if (name !== undefined) out.cpuName = name;
        out.cpuAbsent = (attribute(c, 'absent') ?? '').split(' ').filter((k) => k !== '');
      }
    }
  }
  return out;
}

/** The cpu as the IR had it before specdrive's export filled in what the schema requires. */
export function restoreCpu(cpu: Cpu | undefined, extras: Extensions): Cpu | undefined {
  if (!cpu || (extras.cpuName === undefined && !extras.cpuAbsent?.length)) return cpu;
  const out: Record<string, unknown> = { ...cpu, ...(extras.cpuName !== undefined ? { name: extras.cpuName } : {}) };
  for (const key of extras.cpuAbsent ?? []) delete out[key];
  return out as unknown as Cpu;
}
