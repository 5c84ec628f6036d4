import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { importFile } from '../../src/importers/index.ts';
import { findByPath } from '../../src/ir/walk.ts';
import { extractBits } from '../../src/ir/bits.ts';
import type { CiReport } from '../../src/pipeline/ci-types.ts';
import { copyDemoProject, readJsonReport, removeProject, runSpecdrive, type CliRun } from './helpers/project-copy.ts';

/**
 * Issue 10, "the report opens in headless Chromium": `specdrive ci` on a copy of the demo project,
 * then the real browser loads `out/report/index.html`, takes a screenshot, and the page's content
 * is checked against the specs (not against the report's own JSON where an independent check is
 * possible).
 */

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

let project: string;
let shots: string;
let run: CliRun;
let report: CiReport;
let browser: Browser;
let page: Page;
/** Every request the page made besides loading itself: a self-contained report makes none. */
const foreignRequests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  project = copyDemoProject({ prefix: 'specdrive-html-' });
  shots = mkdtempSync(join(tmpdir(), 'specdrive-shot-'));
  run = await runSpecdrive(['ci'], project);
  report = readJsonReport(project);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const url = pathToFileURL(join(project, 'out', 'report', 'index.html')).href;
  page.on('request', (r) => void (r.url() !== url && foreignRequests.push(r.url())));
  page.on('pageerror', (e) => void pageErrors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  removeProject(project);
  if (shots) rmSync(shots, { recursive: true, force: true });
});

/** The text of a revision's section, whitespace collapsed. */
async function sectionText(revision: string): Promise<string> {
  return (await page.locator(`section.revision#demo-board-${revision}`).innerText()).replace(/\s+/g, ' ');
}

describe('the HTML report in headless Chromium', () => {
  it('renders, screenshots, and needs nothing from outside the file', async () => {
    expect(await page.title()).toBe('specdrive report: specdrive-demo');
    const file = join(shots, 'report.png');
    await page.screenshot({ path: file, fullPage: true });
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20. A full page is at least a screen high.
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(900);
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('has one section per revision, in order, and summary cards that agree with them', async () => {
    const ids = await page.locator('section.revision').evaluateAll((sections) => sections.map((s) => s.id));
    expect(ids).toEqual(['demo-board-rev-a', 'demo-board-rev-b', 'demo-board-rev-c']);
    const cards = await page
      .locator('.card')
      .evaluateAll((cs) => Object.fromEntries(cs.map((c) => [c.childNodes[1]?.textContent ?? '', Number(c.querySelector('b')?.textContent)])));
    expect(cards.revisions).toBe(3);
    // Broken rows counted in the page itself, not taken from the summary.
    expect(cards['broken operations']).toBe(await page.locator('table.operations td.v-broken').count());
  });

  it('draws the moved BAUD register of rev-c before and after', async () => {
    const text = await sectionText('rev-c');
    expect(text).toMatch(/register-moved UART0\.BAUD UART0\.BAUD/);
    const figure = page.locator('section#demo-board-rev-c .layouts section.register[data-register="UART0.BAUD"]');
    await expect.poll(() => figure.count()).toBe(1);
    const svgs = figure.locator('svg.layout');
    expect(await svgs.count()).toBe(2);
    // Both pictures hold DIV and FRAC boxes with their bit ranges (from the spec: DIV 15..4, FRAC 3..0).
    for (const i of [0, 1]) {
      const titles = await svgs.nth(i).locator('title').allTextContents();
      expect(titles.some((t) => t.startsWith('DIV [15:4]'))).toBe(true);
      expect(titles.some((t) => t.startsWith('FRAC [3:0]'))).toBe(true);
    }
    // The SVG is laid out by the browser: it has a real size on the page.
    const box = await svgs.first().boundingBox();
    expect(box?.width).toBeGreaterThan(100);
  });

  it('draws the renamed UART enable field of rev-b and names the rename', async () => {
    const text = await sectionText('rev-b');
    expect(text).toMatch(/field-renamed UART0\.CTRL\.EN UART0\.CTRL\.ENABLE/);
    const figure = page.locator('section#demo-board-rev-b .layouts section.register[data-register="UART0.CTRL"]');
    expect(await figure.count()).toBe(1);
    const changed = await figure.locator('svg.layout g.field.changed title').allTextContents();
    expect(changed.some((t) => t.startsWith('EN [0:0]'))).toBe(true);
    expect(changed.some((t) => t.startsWith('ENABLE [0:0]'))).toBe(true);
  });

  it('shows rev-c set_loopback as broken, with the contract and hardware spans of its conflict', async () => {
    const row = page.locator('section#demo-board-rev-c table.operations tr', { hasText: 'set_loopback' });
    expect(await row.count()).toBe(1);
    expect(await row.locator('td.v-broken').innerText()).toBe('broken');
    const why = (await row.locator('td').nth(3).innerText()).replace(/\s+/g, ' ');
    // The contract span is where the uart contract declares the loopback role.
    const contractLine =
      readFileSync(join(project, 'software-specs/uart.driver.yaml'), 'utf8')
        .split('\n')
        .findIndex((l) => /^\s+loopback:/.test(l)) + 1;
    expect(contractLine).toBeGreaterThan(0);
    expect(why).toContain(`contract software-specs/uart.driver.yaml:${contractLine}:3`);
    // The hardware span is where LOOPBACK was declared (the field rev-c removed).
    const hardware = /hardware (hardware-specs\/demo-board\/rev-[a-z]\.yaml):(\d+):(\d+)/.exec(why);
    expect(hardware, why).not.toBeNull();
    const [, file, line, column] = hardware as unknown as [string, string, string, string];
    const pointed = readFileSync(join(project, file), 'utf8')
      .split('\n')
      [Number(line) - 1]?.slice(Number(column) - 1);
    expect(pointed).toMatch(/^LOOPBACK:/);
  });

  it('shows the solved configuration of rev-b, and its values meet the configuration', async () => {
    const section = page.locator('section#demo-board-rev-b');
    expect(await section.innerText()).toContain('Configuration demo-rev-b');
    // Only the tables under the configuration's heading (the change table names registers too).
    const tables = section.locator('h4:has-text("Configuration demo-rev-b") ~ table');
    const registerValue = async (path: string): Promise<number> => {
      const cell = tables.locator('tr', { has: page.locator(`td:text-is("${path}")`) }).locator('td code');
      return Number.parseInt((await cell.innerText()).replace(/^0x/, ''), 16);
    };
    // Decode the shown BAUD register with rev-b's own field layout and recompute the baud rate.
    const device = importFile(join(project, 'hardware-specs/demo-board/rev-b.yaml')).value!;
    const field = (p: string): { lsb: number; width: number } => findByPath(device, p) as unknown as { lsb: number; width: number };
    const baudRegister = await registerValue('UART0.BAUD');
    const div = extractBits(baudRegister, field('UART0.BAUD.DIV').lsb, field('UART0.BAUD.DIV').width);
    const frac = extractBits(baudRegister, field('UART0.BAUD.FRAC').lsb, field('UART0.BAUD.FRAC').width);
    const hclk = device.clocks.find((c) => c.name === 'HCLK')!.hz;
    const baud = hclk / (16 * div + frac);
    expect(Math.abs(baud - 115200) / 115200).toBeLessThanOrEqual(0.02);
    const achieved = Number(
      await tables
        .locator('tr', { has: page.locator('td:text-is("UART0.baud")') })
        .locator('td')
        .nth(2)
        .innerText(),
    );
    expect(achieved).toBeCloseTo(baud, 2);
    // The parity setting EVEN is enum value 2 in CTRL.PARITY.
    const ctrl = await registerValue('UART0.CTRL');
    expect(extractBits(ctrl, field('UART0.CTRL.PARITY').lsb, field('UART0.CTRL.PARITY').width)).toBe(2);
  });

  it('lists every compile target as passed and every contract scenario as passed', async () => {
    const results = await page.locator('section.revision table.tests tr').evaluateAll((rows) =>
      rows
        .slice(0)
        .map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? ''))
        .filter((cells) => cells.length > 0),
    );
    const compiled = results.filter((c) => c[0] === 'compile');
    // Three revisions × c, typescript, python.
    const failed = report.revisions.flatMap((r) =>
      r.diagnostics.filter((d) => d.severity === 'error' && !d.code.startsWith('bind/')).map((d) => `${r.revision} ${d.code}: ${d.message}`),
    );
    expect(compiled.map((c) => `${c[1]}:${c[2]}`).sort(), `exit ${run.code}; errors: ${[...new Set(failed)].join('\n')}`).toEqual(
      Array(3).fill(['c:passed', 'python:passed', 'typescript:passed']).flat().sort(),
    );
    const scenarios = results.filter((c) => c[0] === 'scenario');
    expect(scenarios.length).toBeGreaterThan(0);
    expect(scenarios.filter((c) => c[2] !== 'passed')).toEqual([]);
    expect(report.summary.scenariosFailed).toBe(0);
  });
});
