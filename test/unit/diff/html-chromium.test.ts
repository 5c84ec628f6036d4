import { mkdtempSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { importFile } from '../../../src/importers/index.ts';
import { applyPolicy, diffDevices, renderHtml } from '../../../src/diff/index.ts';

describe('HTML report in headless Chromium', () => {
  it('renders the changed registers with before/after bit layouts', async () => {
    const before = importFile('hardware-specs/demo-board/rev-a.yaml').value!;
    const after = importFile('hardware-specs/demo-board/rev-b.yaml').value!;
    const report = applyPolicy(diffDevices(before, after).value!);
    const folder = mkdtempSync(join(tmpdir(), 'specdrive-diff-html-'));
    const page = join(folder, 'diff.html');
    writeFileSync(page, renderHtml(report));
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    try {
      const tab = await browser.newPage();
      const requests: string[] = [];
      tab.on('request', (r) => void (r.url().startsWith('file:') || requests.push(r.url())));
      await tab.goto(`file://${page}`);
      // Self-contained: nothing is fetched from anywhere.
      expect(requests).toEqual([]);
      const registers = await tab.$$eval('section.register', (els) => els.map((e) => e.getAttribute('data-register')));
      expect(registers.sort()).toEqual(['TIM0.PSC', 'UART0.BAUD', 'UART0.CTRL', 'UART0.STATUS']);
      // Each changed register shows two drawn layouts with real size, and the changed field highlighted.
      const ctrl = await tab.$$eval('section[data-register="UART0.CTRL"] svg', (svgs) =>
        svgs.map((s) => ({ w: s.getBoundingClientRect().width, changed: [...s.querySelectorAll('g.changed')].map((g) => g.getAttribute('data-field')) })),
      );
      expect(ctrl).toHaveLength(2);
      expect(ctrl[0]!.w).toBeGreaterThan(300);
      expect(ctrl[0]!.changed).toEqual(['EN']);
      expect(ctrl[1]!.changed).toEqual(['ENABLE']);
      const psc = await tab.$eval('section[data-register="TIM0.PSC"] figure:last-of-type g.changed rect', (r) => r.getBoundingClientRect().width);
      expect(psc).toBeGreaterThan(16 * 20);
      const shot = join(folder, 'diff.png');
      await tab.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
