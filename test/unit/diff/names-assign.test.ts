import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { abbreviationScore, affixScore, digitGroups, editDistance, isAbbreviation, nameTokens, squash } from '../../../src/diff/names.ts';
import { NOT_A_CANDIDATE, solveAssignment } from '../../../src/diff/match.ts';

describe('name similarity', () => {
  it('splits identifiers at underscores, case and digit boundaries', () => {
    expect(nameTokens('USBCTRL_REGS')).toEqual(['usbctrl', 'regs']);
    expect(nameTokens('txPower2Level')).toEqual(['tx', 'power', '2', 'level']);
    expect(nameTokens('CH10_CTRL')).toEqual(['ch', '10', 'ctrl']);
  });

  it('computes Levenshtein distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('CTRL', 'CTRL')).toBe(0);
  });

  it('recognises vendor abbreviations, whole or token by token', () => {
    expect(isAbbreviation('ctrl', 'control')).toBe(true);
    expect(isAbbreviation('psc', 'prescaler')).toBe(true);
    expect(isAbbreviation('stat', 'control')).toBe(false);
    const score = (a: string, b: string): number => abbreviationScore(squash(a), squash(b), nameTokens(a), nameTokens(b));
    expect(score('EN', 'ENABLE')).toBe(1);
    expect(score('RCV_CFG', 'RECEIVE_CONFIG')).toBe(1);
    expect(score('TX_EN', 'RX_EN')).toBe(0.5);
  });

  it('scores added prefixes and keeps digits apart', () => {
    expect(affixScore(squash('USART_CR1'), squash('CR1'))).toBeCloseTo(3 / 8);
    expect(affixScore(squash('CR1'), squash('SR'))).toBe(0);
    expect(digitGroups('CR1')).not.toBe(digitGroups('CR2'));
  });
});

/** Brute force over every partial matching: the reference for the Hungarian implementation. */
function bruteForce(cost: number[][], noMatch: number): number {
  const rows = cost.length;
  const cols = cost[0]?.length ?? 0;
  let best = Number.POSITIVE_INFINITY;
  const used = new Array<boolean>(cols).fill(false);
  const visit = (i: number, total: number, matched: number): void => {
    if (i === rows) {
      // Every unmatched row and column costs noMatch (the formulation in assign.ts).
      best = Math.min(best, total + noMatch * (rows - matched) + noMatch * (cols - matched));
      return;
    }
    visit(i + 1, total, matched);
    for (let j = 0; j < cols; j++) {
      if (used[j] || !Number.isFinite(cost[i]![j]!)) continue;
      used[j] = true;
      visit(i + 1, total + cost[i]![j]!, matched + 1);
      used[j] = false;
    }
  };
  visit(0, 0, 0);
  return best;
}

describe("the diff's assignment with a no-match cost (src/solve assign)", () => {
  it('finds the optimal partial assignment (property test against brute force)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(NOT_A_CANDIDATE)), { minLength: 25, maxLength: 25 }),
        (rows, cols, values) => {
          const cost = Array.from({ length: rows }, (_, i) => values.slice(i * 5, i * 5 + cols));
          const flat = Float64Array.from(cost.flat());
          const noMatch = 0.3;
          const result = solveAssignment(flat, rows, cols, noMatch);
          const seen = new Set<number>();
          let total = 0;
          let matched = 0;
          result.forEach((c, i) => {
            if (c < 0) return;
            expect(seen.has(c)).toBe(false);
            seen.add(c);
            expect(Number.isFinite(cost[i]![c]!)).toBe(true);
            total += cost[i]![c]!;
            matched++;
          });
          total += noMatch * (rows - matched) + noMatch * (cols - matched);
          expect(total).toBeCloseTo(bruteForce(cost, noMatch), 9);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('prefers one sure pair over two weak ones', () => {
    // 0.05 for A–A'; 0.45 for the crossed pairs. Leaving a side unmatched costs 0.25.
    const cost = Float64Array.from([0.05, 0.45, 0.45, NOT_A_CANDIDATE]);
    expect(Array.from(solveAssignment(cost, 2, 2, 0.25))).toEqual([0, -1]);
  });
});
