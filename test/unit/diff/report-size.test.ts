import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/importers/index.ts';
import type { Device } from '../../../src/ir/types.ts';
import { applyPolicy, diffDevices, renderMarkdown } from '../../../src/diff/index.ts';
import { groupChanges, isWording } from '../../../src/diff/report/group.ts';
import { MARKDOWN_LIMIT } from '../../../src/diff/report/markdown.ts';
import { mdText } from '../../../src/formats/escape/index.ts';

/**
 * Every Markdown report between consecutive vendor releases in ../shared/data/svd-revisions fits a
 * pull-request comment (under 60,000 characters) and still names every breaking and behavioural
 * change: each group line is there, with every peripheral it occurs in.
 */
const DATA = new URL('../../../../shared/data/svd-revisions/', import.meta.url).pathname;

/** Consecutive releases of each series (chip and variant: nRF54L15 engineering sample and production apart), by version. */
function consecutivePairs(): [string, string][] {
  const rows = readFileSync(DATA + 'MANIFEST.tsv', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));
  const series = new Map<string, string[]>();
  for (const [, file] of rows) if (file) series.set(file.split('@')[0]!, [...(series.get(file.split('@')[0]!) ?? []), file]);
  const version = (file: string): number[] => (file.split('@')[1]!.match(/\d+/g) ?? []).map(Number);
  const compare = (a: string, b: string): number => {
    const [x, y] = [version(a), version(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  };
  const pairs: [string, string][] = [];
  for (const files of series.values()) {
    const sorted = [...files].sort(compare);
    for (let i = 1; i < sorted.length; i++) pairs.push([sorted[i - 1]!, sorted[i]!]);
  }
  return pairs;
}

describe('Markdown reports of real vendor releases', () => {
  const cache = new Map<string, Device>();
  const load = (file: string): Device => {
    if (!cache.has(file)) cache.set(file, importFile(DATA + file).value!);
    return cache.get(file)!;
  };
  it.each(consecutivePairs())('%s → %s fits and keeps every breaking and behavioural change', { timeout: 300_000 }, async (a, b) => {
    const report = applyPolicy(diffDevices(load(a), load(b)).value!);
    const md = renderMarkdown(report);
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    const severe = groupChanges(report.changes.filter((c) => !c.waived && !isWording(c) && (c.severity === 'breaking' || c.severity === 'behavioural')));
    // Every breaking and behavioural change: its rule and peripheral on one "needs action" line with its name or values.
    const needs = md.split('\n').filter((l) => /^- \*\*(breaking|behavioural)\*\*/.test(l));
    for (const c of severe.flatMap((g) => g.members)) {
      const peripheral = (c.after?.path ?? c.before?.path ?? '').split('.')[0]!;
      const names = [c.before?.path, c.after?.path].filter((p): p is string => p !== undefined).map((p) => p.split('.').pop()!);
      // Names appear as the Markdown escaper writes them (`USART\_CR1`).
      const line = needs.find(
        (l) => l.includes(`\`${c.rule}\``) && l.includes(mdText(peripheral)) && (names.some((n) => l.includes(mdText(n))) || l.includes(' — in ')),
      );
      expect(line, `${c.rule} ${c.after?.path ?? c.before?.path}`).toBeDefined();
    }
    if (md.includes('Left out')) expect(md).toContain('full report');
    cache.delete(a); // each file is used by at most the next pair
  });
});

describe('Markdown report of a diff too large for one line per change', () => {
  it('two different chips (STM32H743 → STM32N657) still fit: one line per rule at worst, and it says what it left out', { timeout: 600_000 }, () => {
    const svd = new URL('../../../../shared/data/svd/', import.meta.url).pathname;
    const report = applyPolicy(diffDevices(importFile(svd + 'STM32H743.svd.gz').value!, importFile(svd + 'STM32N657.svd.gz').value!).value!);
    const md = renderMarkdown(report);
    expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
    const severe = report.changes.filter((c) => !c.waived && !isWording(c) && (c.severity === 'breaking' || c.severity === 'behavioural'));
    // Even at its coarsest, every breaking/behavioural rule has its needs-action line, and the
    // counts on those lines add up to every such change.
    const needs = md.split('\n').filter((l) => /^- \*\*(breaking|behavioural)\*\*/.test(l));
    for (const c of severe)
      expect(
        needs.some((l) => l.includes(`\`${c.rule}\``) && l.includes(`**${c.severity}**`)),
        c.rule,
      ).toBe(true);
    expect(md).toContain(`#### Needs action: ${severe.length} breaking or behavioural changes`);
    expect(md).toMatch(/\*\*Left out to stay under 60,000 characters:\*\*.*full report/);
  });
});
