import type { Device, Field, Peripheral, Register } from '../../ir/types.ts';
import { findByPath } from '../../ir/walk.ts';
import { walkingRule } from '../rule.ts';

/** Resolves a field reference: a sibling field, a path from the peripheral, or a full path. */
function resolveField(name: string, register: Register, peripheral: Peripheral, device: Device): Field | undefined {
  const sibling = register.fields.find((f) => f.name === name);
  if (sibling) return sibling;
  for (const path of [`${peripheral.name}.${name}`, name]) {
    const node = findByPath(device, path);
    if (node?.kind === 'field') return node;
  }
  return undefined;
}

/**
 * An interrupt field's `enable` / `mask` must name an existing field: the simulator computes the
 * interrupt line from it and drivers generate enable/disable calls for it.
 */
export const interruptReferencesRule = walkingRule({
  id: 'interrupt-references',
  description: 'interrupt enable or mask paths that do not name a field',
  codes: ['validate/interrupt-unknown-field'],
  listen(device, report) {
    return {
      enterField(field, register, peripheral) {
        const interrupt = field.access.interrupt;
        if (!interrupt) return;
        for (const role of ['enable', 'mask'] as const) {
          const name = interrupt[role];
          if (name === undefined || resolveField(name, register, peripheral, device)) continue;
          report.error('validate/interrupt-unknown-field', `interrupt ${role} ${JSON.stringify(name)} of ${field.path} is not a field`, field.span, {
            path: field.path,
            hint: 'name the field as FIELD (same register), REGISTER.FIELD or PERIPHERAL.REGISTER.FIELD',
          });
        }
      },
    };
  },
});
