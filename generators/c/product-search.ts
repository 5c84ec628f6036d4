import { cComment } from '../framework/escape.ts';
import { searchSelects, type ResolvedOperation } from '../framework/operations.ts';
import type { GenValue } from '../framework/types.ts';

/**
 * The run-time search of a product-form divider in C, before the first write, for a value the
 * solved table lacks (the table's `switch` is faster where it has the value). It mirrors
 * searchProductDivider (src/pipeline/product-divider.ts) in uint64_t: every product stays below
 * 2³⁵, and the first outer value is ⌊clock / (t·yHigh·coef)⌋ by chained divisions.
 */
export function searchLines(r: ResolvedOperation, value: (v: GenValue) => string): string[] {
  return searchSelects(r).flatMap((step) => {
    const { search } = step;
    const [outer, inner] = search.factors;
    const yLow = Math.max(1, inner.offset);
    const yHigh = inner.max + inner.offset;
    const { x, y } = search.locals;
    return [
      `switch ((uint32_t)(${value(step.on)})) {`,
      ...(step.cases.length ? [`${step.cases.map((c) => `case ${c.value}u:`).join(' ')}`, '  break; /* tabulated */'] : []),
      `default: { /* ${cComment(`${step.quantity} = ${search.clock.name} / (${search.coef} * (${outer.field} + ${outer.offset}) * (${inner.field} + ${inner.offset})), ${search.clock.name} = ${search.clock.hz} Hz, within ${search.ppm} ppm: least error, searched over ${outer.field}`)} */`,
      `  const uint64_t sd_clock = ${search.clock.hz}u;`,
      `  const uint64_t sd_t = (uint64_t)(${value(step.on)});`,
      '  uint64_t sd_x, sd_best = UINT64_MAX;',
      '  if (sd_t < 1u) return SD_ERR_UNSUPPORTED;',
      `  sd_x = sd_clock / sd_t / ${yHigh}u / ${search.coef}u;`,
      `  if (sd_x < ${Math.max(1, outer.offset)}u) sd_x = ${Math.max(1, outer.offset)}u;`,
      `  for (; sd_x <= ${outer.max + outer.offset}u; sd_x++) {`,
      `    const uint64_t sd_step = ${search.coef}u * sd_x * sd_t;`,
      '    uint64_t sd_nearest;',
      '    int sd_k;',
      '    if (sd_step > 2u * sd_clock) break;',
      '    sd_nearest = sd_clock / sd_step;',
      '    for (sd_k = 0; sd_k < 2; sd_k++) {',
      '      uint64_t sd_y = sd_nearest + (uint64_t)sd_k, sd_achieved, sd_error;',
      `      if (sd_y < ${yLow}u) sd_y = ${yLow}u;`,
      `      if (sd_y > ${yHigh}u) sd_y = ${yHigh}u;`,
      '      sd_achieved = sd_step * sd_y;',
      '      sd_error = sd_clock > sd_achieved ? sd_clock - sd_achieved : sd_achieved - sd_clock;',
      `      if (2u * sd_error <= sd_achieved && sd_error * 1000000u <= ${search.ppm}u * sd_achieved && sd_error < sd_best) {`,
      '        sd_best = sd_error;',
      `        ${x} = (uint32_t)(sd_x - ${outer.offset}u);`,
      `        ${y} = (uint32_t)(sd_y - ${inner.offset}u);`,
      '      }',
      '    }',
      `    if (sd_best == 0u || sd_step * ${yLow}u >= sd_clock) break;`,
      '  }',
      '  if (sd_best == UINT64_MAX) return SD_ERR_UNSUPPORTED;',
      '}',
      '}',
    ];
  });
}
