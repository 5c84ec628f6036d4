import { walkingRule } from '../rule.ts';
import { accessBytes } from './rule-helpers.ts';

const NATIVE_SIZES: ReadonlySet<number> = new Set([8, 16, 32, 64]);

/**
 * Registers of 8, 16, 32 or 64 bits map onto one bus access and one C integer type. Other widths
 * (IP-XACT allows any) are accessed with the next wider type, so the bits above the register are
 * read and written too: worth a warning, not an error, since such hardware exists.
 */
export const registerSizeRule = walkingRule({
  id: 'register-size',
  description: 'registers whose width is not 8, 16, 32 or 64 bits',
  codes: ['validate/register-size'],
  listen(_device, report) {
    return {
      enterRegister(register) {
        if (NATIVE_SIZES.has(register.size)) return;
        const access = accessBytes(register) * 8;
        report.warning(
          'validate/register-size',
          `${register.path} is ${register.size} bits wide; generated code accesses it as ${access} bits`,
          register.span,
          {
            path: register.path,
            hint: `use a size of 8, 16, 32 or 64, or check that the ${access - register.size} bit(s) above it are safe to read and write`,
          },
        );
      },
    };
  },
});
