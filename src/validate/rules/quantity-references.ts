import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { Device, Peripheral, Quantity } from '../../ir/types.ts';
import { findByPath } from '../../ir/walk.ts';
import type { ValidationRule } from '../rule.ts';
import { namesIn, parseExpr } from '../../expr/index.ts';

/**
 * What a name in a quantity of `peripheral` may refer to: a clock, another quantity of the same
 * peripheral, or a register or field by a path from the peripheral (`BAUD.DIV`) or from the
 * device (`UART0.BAUD.DIV`). Array indices (`CH[1].CTRL`) are ignored for the lookup.
 */
function resolves(name: string, peripheral: Peripheral, device: Device): boolean {
  const plain = name;
  if (!plain.includes('.') && (device.clocks.some((c) => c.name === plain) || peripheral.quantities.some((q) => q.name === plain))) return true;
  for (const path of [`${peripheral.name}.${plain}`, plain]) {
    const node = findByPath(device, path);
    if (node && (node.kind === 'register' || node.kind === 'field')) return true;
  }
  return false;
}

function checkQuantity(q: Quantity, peripheral: Peripheral, device: Device, report: DiagnosticCollector): void {
  // The grammar of src/expr: the one the configuration solver compiles, so what validates also solves.
  const parsed = parseExpr(q.expression);
  if (!parsed.expr) {
    const error = parsed.error ?? { message: 'cannot parse', offset: 0 };
    report.error(
      'validate/quantity-syntax',
      `quantity ${peripheral.name}.${q.name} = ${JSON.stringify(q.expression)}: ${error.message} at character ${error.offset + 1}`,
      q.span,
      { path: `${peripheral.name}.${q.name}` },
    );
    return;
  }
  for (const name of namesIn(parsed.expr)) {
    if (resolves(name, peripheral, device)) continue;
    report.error(
      'validate/quantity-unknown-name',
      `quantity ${peripheral.name}.${q.name} refers to ${name}, which is not a clock, a quantity, a register or a field`,
      q.span,
      {
        path: `${peripheral.name}.${q.name}`,
        hint: 'name fields as REGISTER.FIELD (from the peripheral) or PERIPHERAL.REGISTER.FIELD, clocks by their name under clocks:',
      },
    );
  }
}

/** Derived quantities (baud = HCLK / (16 * BAUD.DIV)) must parse and name only things that exist. */
export const quantityReferencesRule: ValidationRule = {
  id: 'quantity-references',
  description: 'quantity expressions that do not parse or name unknown clocks or fields',
  codes: ['validate/quantity-syntax', 'validate/quantity-unknown-name'],
  check(device, report) {
    for (const peripheral of device.peripherals) for (const q of peripheral.quantities) checkQuantity(q, peripheral, device, report);
  },
};
