import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { SourceSpan } from '../../ir/types.ts';
import { upperCaseKey } from '../../ir/names.ts';
import { walkingRule } from '../rule.ts';

interface Named {
  readonly name: string;
  readonly span: SourceSpan;
  readonly path?: string;
}

/**
 * Reports names used twice at one level. Case is ignored because generated code changes it
 * (`ctrl` and `CTRL` are both `CTRL` in a C header); exact duplicates arrive from formats whose
 * parser does not reject them (SVD, IP-XACT).
 */
function checkLevel(items: readonly Named[], what: string, where: string, report: DiagnosticCollector): void {
  if (items.length < 2) return;
  // Most levels hold a few names (a register's fields): earlier keys are scanned instead of a map per level.
  const seen = items.length > SCAN_LIMIT ? new Map<string, Named>() : undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Named;
    const key = upperCaseKey(item.name);
    if (!seen) levelKeys[i] = key;
    const first = seen ? seen.get(key) : earlierKeyed(items, i, key);
    if (!first) {
      seen?.set(key, item);
      continue;
    }
    const how = first.name === item.name ? 'is declared twice' : `differs from ${first.name} only in case`;
    report.error('validate/duplicate-name', `${what} name ${item.name} in ${where} ${how}`, item.span, {
      ...(item.path !== undefined ? { path: item.path } : {}),
      related: [{ message: `${first.name} is declared here`, span: first.span }],
      hint: 'generated code needs one distinct identifier per name, whatever the naming style',
    });
  }
}

const SCAN_LIMIT = 16;

/** The keys of the small level being checked, by index: one array for every level instead of two per level (a register's fields). */
const levelKeys: string[] = [];

/** The first of `items[0..end)` whose key is `key`: what the map would hold. */
function earlierKeyed(items: readonly Named[], end: number, key: string): Named | undefined {
  for (let j = 0; j < end; j++) if (levelKeys[j] === key) return items[j] as Named;
  return undefined;
}

export const duplicateNamesRule = walkingRule({
  id: 'duplicate-names',
  description: 'peripherals, registers, clusters, fields, clocks or quantities named twice at one level (ignoring case)',
  codes: ['validate/duplicate-name'],
  listen(device, report) {
    checkLevel(device.clocks, 'clock', device.name, report);
    checkLevel(device.peripherals, 'peripheral', device.name, report);
    return {
      enterPeripheral(peripheral) {
        checkLevel(peripheral.registers, 'register', peripheral.path, report);
        checkLevel(peripheral.quantities, 'quantity', peripheral.path, report);
      },
      enterCluster(cluster) {
        checkLevel(cluster.children, 'register', cluster.path, report);
      },
      enterRegister(register) {
        checkLevel(register.fields, 'field', register.path, report);
      },
    };
  },
});
