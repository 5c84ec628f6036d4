import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { EnumSet, EnumValue, SourceSpan } from '../../ir/types.ts';
import { identifierProblem, isIdentifier } from '../../ir/names.ts';
import { walkingRule } from '../rule.ts';

/**
 * Every name that becomes part of generated code (peripherals, registers, clusters, fields, enum
 * values, clocks, quantities, interrupts) must be an identifier, so no generator has to invent
 * a mangling that differs from the others'. A warning in every format: vendor files name enum values
 * `3v3`, `1V8`, `1C1A` (RP2040, nRF), generators mangle such names, and a YAML import of a vendor
 * file must validate exactly as the file does (docs/decisions.md, "One rule set, one severity").
 */
export const identifierNamesRule = walkingRule({
  id: 'identifier-names',
  description: 'names that are not identifiers ([A-Za-z_][A-Za-z0-9_]*)',
  codes: ['validate/bad-name'],
  listen(device, report) {
    const check = (what: string, name: string, span: SourceSpan, path?: string): void => checkName(what, name, span, path, report);
    for (const clock of device.clocks) check('clock', clock.name, clock.span);
    return {
      enterPeripheral(p) {
        check('peripheral', p.name, p.span, p.path);
        for (const q of p.quantities) check('quantity', q.name, q.span);
        // Interrupt names are often made from the peripheral's name (UART0_IRQ): one finding is enough.
        if (identifierProblem(p.name) === undefined) for (const i of p.interrupts) check('interrupt', i.name, i.span);
      },
      enterCluster: (c) => check('cluster', c.name, c.span, c.path),
      enterRegister(r) {
        if (!isPlainName(r.name)) check('register', r.name, r.span, r.path);
      },
      // A node's span and path are read only for a finding: fields and enum values come in many
      // shapes (optional keys), where each property read is a lookup by name.
      enterField(f) {
        if (!isPlainName(f.name)) check('field', f.name, f.span, f.path);
        const enums = f.enums;
        if (enums === undefined) return;
        // Indexed loops: one step per enum value of the device, mostly before the code is optimized (no iterator objects).
        for (let s = 0; s < enums.length; s++) {
          const values = (enums[s] as EnumSet).values;
          for (let i = 0; i < values.length; i++) {
            const v = values[i] as EnumValue;
            if (!isPlainName(v.name)) check('enum value', v.name, v.span, v.path);
          }
        }
      },
    };
  },
});

/** A name with nothing to report. */
const isPlainName = (name: string): boolean => isIdentifier(name) && name.length <= 128;

function checkName(what: string, name: string, span: SourceSpan, path: string | undefined, report: DiagnosticCollector): void {
  if (isPlainName(name)) return;
  const problem = identifierProblem(name);
  if (problem === undefined) return;
  report.warning('validate/bad-name', `${what} name ${JSON.stringify(name)} is not an identifier: ${problem}`, span, {
    ...(path !== undefined ? { path } : {}),
    hint: 'use letters, digits and underscores, not starting with a digit',
  });
}
