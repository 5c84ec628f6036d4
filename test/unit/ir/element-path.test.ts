import { describe, expect, it } from 'vitest';
import { formatElementPath, isElementPathError, parseElementPath, resolveElementPath, ELEMENT_FIELD_PATH } from '../../../src/ir/element-path.ts';
import { load } from '../generators/helpers.ts';
import { explainWaitTimeout } from '../../../src/scenarios/wait-timeout.ts';

const device = load('test/fixtures/generators/mixed.yaml');
const dev = device.peripherals.find((p) => p.name === 'DEV')!;

describe('element paths (REG[i].FIELD)', () => {
  it('parses NAME and NAME[decimal] segments and formats them back', () => {
    expect(parseElementPath('CC[0].CC')).toEqual([{ name: 'CC', index: 0 }, { name: 'CC' }]);
    expect(parseElementPath('GRP[1].CFG.V')).toEqual([{ name: 'GRP', index: 1 }, { name: 'CFG' }, { name: 'V' }]);
    for (const bad of ['CC[x].CC', 'CC[01].CC', 'CC[-1].CC', 'CC[].CC', 'CC[0]x.CC', '.CC', 'CC..CC']) expect(parseElementPath(bad), bad).toBeUndefined();
    expect(formatElementPath(parseElementPath('GRP[1].CFG.V')!)).toBe('GRP[1].CFG.V');
  });

  it('the schema pattern accepts the same field paths the parser reads, index never on the field', () => {
    for (const ok of ['CR.EN', 'CC[0].CC', 'GRP[1].CFG.V', 'EVENTS_COMPARE[5].EVENTS_COMPARE']) expect(ELEMENT_FIELD_PATH.test(ok), ok).toBe(true);
    for (const bad of ['CC', 'CC[0]', 'CC.CC[0]', 'CC[x].CC', 'CC[01].CC']) expect(ELEMENT_FIELD_PATH.test(bad), bad).toBe(false);
  });

  it('resolves an element of a register array and of a cluster array to its offset', () => {
    const arr = resolveElementPath(dev, 'ARR[2].X');
    if (isElementPathError(arr)) throw new Error(arr.message);
    expect([arr.registerPath, arr.indices, arr.offset, arr.field?.name]).toEqual(['ARR[2]', [2], 0x20 + 2 * 4, 'X']);
    const grp = resolveElementPath(dev, 'GRP[1].STAT.DONE');
    if (isElementPathError(grp)) throw new Error(grp.message);
    expect([grp.registerPath, grp.indices, grp.offset]).toEqual(['GRP[1].STAT', [1], 0x10 + 8 + 4]);
    const plain = resolveElementPath(dev, 'CTRL', false);
    expect(isElementPathError(plain) ? plain.code : [plain.offset, plain.indices]).toEqual([0, []]);
  });

  it('says why a path names no element, with a stable code', () => {
    const code = (path: string): string | undefined => {
      const r = resolveElementPath(dev, path);
      return isElementPathError(r) ? r.code : undefined;
    };
    expect(code('ARR[4].X')).toBe('path/index-out-of-range');
    expect(code('ARR.X')).toBe('path/index-missing');
    expect(code('CTRL[0].EN')).toBe('path/not-an-array');
    expect(code('ARR[0].X[1]')).toBe('path/not-an-array');
    expect(code('NOPE[0].X')).toBe('path/not-found');
    expect(code('ARR[0].NOPE')).toBe('path/not-found');
    expect(code('ARR[x].X')).toBe('path/syntax');
    const r = resolveElementPath(dev, 'ARR[4].X');
    expect(isElementPathError(r) && r.message).toBe('DEV.ARR[4]: index 4 is out of range (the array has 4 elements, 0..3)');
  });

  it('a wait time-out on an array element is explained from that element', () => {
    expect(explainWaitTimeout(device, 'DEV', 'get', { field: 'ARR[2].X', value: 1, expected: 0 })).toBe(
      'DEV.get timed out waiting for DEV.ARR[2].X to be 0: it is 1, its reset value is 4660, and nothing can set it to 0 (no behaviour writes it)',
    );
  });
});
