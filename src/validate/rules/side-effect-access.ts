import { walkingRule } from '../rule.ts';
import { isReadable, isWritable } from './rule-helpers.ts';

/**
 * A read side effect (clear on read, FIFO pop) needs a field software can read, and a write side
 * effect (write 1 to clear, …) one it can write; otherwise the effect can never happen and the
 * access or the effect is a mistake. A warning: the effect is inert, nothing generated can trigger
 * it, and vendor files contain it (nRF52840 USBD.EPSTALL: write-only fields with modifyExternal).
 */
export const sideEffectAccessRule = walkingRule({
  id: 'side-effect-access',
  description: 'read side effects on fields that cannot be read, write side effects on fields that cannot be written',
  codes: ['validate/read-effect-unreadable', 'validate/write-effect-unwritable'],
  listen(_device, report) {
    return {
      enterField(field) {
        const { sw, onRead, onWrite } = field.access;
        if (onRead !== undefined && !isReadable(sw)) {
          report.warning(
            'validate/read-effect-unreadable',
            `${field.path} has the read side effect ${onRead} but software cannot read it (access ${sw})`,
            field.span,
            {
              path: field.path,
              hint: 'make the field readable (r or rw) or remove onread',
            },
          );
        }
        if (onWrite !== undefined && !isWritable(sw)) {
          report.warning(
            'validate/write-effect-unwritable',
            `${field.path} has the write side effect ${onWrite} but software cannot write it (access ${sw})`,
            field.span,
            {
              path: field.path,
              hint: 'make the field writable (rw or w) or remove onwrite',
            },
          );
        }
      },
    };
  },
});
