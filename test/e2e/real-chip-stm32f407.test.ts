import { describe, expect, it } from 'vitest';
import { expectEveryTargetRan, useBoardCi } from './helpers/board-ci.ts';
import { describeRun, revisionOf } from './helpers/project-copy.ts';

/**
 * The STM32F407 project (boards/stm32f407) through `specdrive ci`: ST's SVD 1.5 as shipped, then
 * ST's SVD 1.7 with stm32-rs's svdtools patch (a patch file as a revision), one overlay for both,
 * and USART + basic-timer contracts written from RM0090.
 */
const ci = useBoardCi('stm32f407');

describe('STM32F407 through specdrive ci', () => {
  it('is green: solved, generated, compiled, every scenario passed in C, TypeScript and Python', () => {
    expect(ci.run.code, describeRun(ci.run)).toBe(0);
    expect(ci.report.summary).toMatchObject({
      revisions: 2,
      broken: 0,
      unsatisfiable: 0,
      generateFailures: 0,
      compileFailures: 0,
      scenariosFailed: 0,
      scenariosPassed: 24,
    });
    for (const r of ci.report.revisions) {
      expectEveryTargetRan(r);
      // 42 MHz / (16 × 22 + 13) = 115 068 Bd; 84 MHz / (2 × 42 000) = 1 kHz.
      expect(r.configurations[0]?.fields).toMatchObject({
        'USART2.BRR.DIV_Mantissa': 22,
        'USART2.BRR.DIV_Fraction': 13,
        'TIM6.PSC.PSC': 1,
        'TIM6.ARR.ARR': 41999,
      });
    }
  });

  it('states why the vendor SVD needs attention and the patched one does not', () => {
    const plain = revisionOf(ci.report, '1.5', 'stm32f407');
    const patched = revisionOf(ci.report, '1.7-stm32rs', 'stm32f407');
    expect(patched.bindings.map((b) => `${b.driver}→${b.peripheral}:${b.verdict}`).sort()).toEqual(['basic_timer→TIM6:unchanged', 'usart→USART2:unchanged']);
    // stm32-rs marks the status flags rc_w0 (write 0 to clear, RM0090); ST's SVD says nothing.
    const reasons = Object.fromEntries(
      plain.bindings.flatMap((b) => b.operations.map((o) => [`${b.driver}.${o.operation}`, `${o.verdict}: ${o.reasons.join('; ')}`])),
    );
    expect(reasons).toEqual({
      'usart.init': 'unchanged: ',
      'usart.send_byte': 'unchanged: ',
      'usart.flush': 'attention: tx_complete: SR.TC changed side effects from write-0-clears to no side effect',
      'usart.receive_byte': 'attention: rx_ready: SR.RXNE changed side effects from write-0-clears to no side effect',
      'basic_timer.start': 'attention: update_flag: SR.UIF changed side effects from write-0-clears to no side effect',
      'basic_timer.wait_update': 'attention: update_flag: SR.UIF changed side effects from write-0-clears to no side effect',
      'basic_timer.stop': 'unchanged: ',
    });
    // The patch merges TIM2's 16-bit halves into one 32-bit ARR: the diff reports it.
    expect(patched.diff?.changes.some((c) => c.after?.path === 'TIM2.ARR.ARR')).toBe(true);
  });
});
