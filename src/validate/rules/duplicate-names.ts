import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { SourceSpan } from '../../ir/types.ts';
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
  const seen = new Map<string, Named>();
  for (const item of items) {
    const key = item.name.toUpperCase();
    const first = seen.get(key);
    if (!first) {
      seen.set(key, item);
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
