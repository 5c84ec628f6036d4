import { describe, expect, it } from 'vitest';
import { bindContract, type Binding } from '../../../src/bind/index.ts';
import { matchesBetween } from '../../../src/pipeline/matches.ts';
import { demoContract, demoRevision } from '../../helpers/demo.ts';

const revisions = { 'rev-a': demoRevision('rev-a'), 'rev-b': demoRevision('rev-b'), 'rev-c': demoRevision('rev-c') } as const;
type Rev = keyof typeof revisions;

function bind(driver: 'uart' | 'gpio' | 'timer', rev: Rev): Binding {
  const contract = demoContract(driver);
  const reference = revisions[contract.writtenFor.revision as Rev];
  const target = revisions[rev];
  const [binding] = bindContract(contract, target, { reference, matches: matchesBetween(reference, target) }).value;
  return binding!;
}

const verdicts = (b: Binding): Record<string, string> => Object.fromEntries(b.operations.map((o) => [o.operation, o.verdict]));

describe('binding the demo contracts to every demo revision', () => {
  it('uart on rev-a (its reference) is unchanged everywhere', () => {
    expect(new Set(Object.values(verdicts(bind('uart', 'rev-a'))))).toEqual(new Set(['unchanged']));
  });

  it('uart on rev-b: the EN → ENABLE rename is adapted via the diff, the new w1c flag needs attention', () => {
    const b = bind('uart', 'rev-b');
    expect(verdicts(b)).toEqual({
      init: 'adapted',
      enable_rx_interrupt: 'unchanged',
      send_byte: 'unchanged',
      receive_byte: 'unchanged',
      has_overrun: 'attention',
      set_loopback: 'unchanged',
    });
    const enable = b.roles.find((r) => r.role === 'enable');
    expect(enable?.field).toBe('CTRL.ENABLE');
    expect(enable?.via).toBe('diff');
    const init = b.operations.find((o) => o.operation === 'init')!;
    expect(init.reasons.join('\n')).toMatch(/CTRL\.EN is now CTRL\.ENABLE/);
    expect(init.reasons.join('\n')).toMatch(/quantity baud is now/);
    const overrun = b.operations.find((o) => o.operation === 'has_overrun')!;
    expect(overrun.reasons.join('\n')).toMatch(/write-1-clears/);
  });

  it('uart on rev-c: the moved BAUD register is adapted and the removed LOOPBACK breaks set_loopback with both spans', () => {
    const b = bind('uart', 'rev-c');
    expect(verdicts(b)).toMatchObject({ init: 'adapted', has_overrun: 'attention', set_loopback: 'broken', send_byte: 'unchanged' });
    const init = b.operations.find((o) => o.operation === 'init')!;
    expect(init.reasons.join('\n')).toMatch(/register BAUD moved 0xC → 0x10/);
    const broken = b.operations.find((o) => o.operation === 'set_loopback')!;
    expect(broken.conflicts).toHaveLength(1);
    const [conflict] = broken.conflicts;
    expect(conflict?.requirement).toBe('role:loopback:present');
    expect(conflict?.contractSpan.file).toMatch(/uart\.driver\.yaml$/);
    expect(conflict?.contractSpan.line).toBeGreaterThan(1);
    // The hardware side points at the field in the revision it disappeared from.
    expect(conflict?.hardwareSpan?.file).toMatch(/rev-a\.yaml$/);
  });

  it('timer: the widened prescaler is an adaptation, never a break', () => {
    expect(verdicts(bind('timer', 'rev-a')).start).toBe('unchanged');
    const b = bind('timer', 'rev-b');
    expect(verdicts(b).start).toBe('adapted');
    expect(b.operations.find((o) => o.operation === 'start')!.reasons.join()).toMatch(/16 bits wide \(was 8\)/);
  });

  it('gpio binds unchanged on every revision (rev-c only adds TOGGLE)', () => {
    for (const rev of ['rev-a', 'rev-b', 'rev-c'] as const) expect(bind('gpio', rev).verdict).toBe('unchanged');
  });

  it('a requirement the hardware cannot meet is a located conflict (width, writability, enum value)', () => {
    const contract = demoContract('uart');
    const strict = {
      ...contract,
      roles: contract.roles.map((r) =>
        r.name === 'data'
          ? { ...r, width: 9 }
          : r.name === 'tx_empty'
            ? { ...r, write: true }
            : r.name === 'parity'
              ? { ...r, writes: [...r.writes, 'MARK'] }
              : r,
      ),
    };
    const [b] = bindContract(strict, revisions['rev-a'], { reference: revisions['rev-a'] }).value;
    const requirements = b!.operations.flatMap((o) => o.conflicts.map((c) => c.requirement));
    // Each minimal conflict pairs the role's presence with the property the field lacks: an
    // unbound role would satisfy the property, so neither alone is a conflict.
    expect(new Set(requirements)).toEqual(
      new Set(['role:data:present', 'role:data:width', 'role:tx_empty:present', 'role:tx_empty:writable', 'role:parity:present', 'role:parity:enum:MARK']),
    );
    const sendByte = b!.operations.find((o) => o.operation === 'send_byte')!;
    expect(sendByte.conflicts.map((c) => c.requirement).sort()).toEqual([
      'role:data:present',
      'role:data:width',
      'role:tx_empty:present',
      'role:tx_empty:writable',
    ]);
    expect(b!.operations.find((o) => o.operation === 'enable_rx_interrupt')!.verdict).toBe('unchanged');
    expect(b!.verdict).toBe('broken');
  });
});
