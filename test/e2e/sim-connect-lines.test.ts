/**
 * `specdrive sim` prints a ready-to-paste client line per SDK; pasted into a program using the
 * generated Python package (and the README's own snippet), it reaches the simulated device over
 * the real pty. The README of every package carries the same lines.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractModel } from '../unit/generators/op-runner-helpers.ts';
import { materialise, render, run } from '../unit/generators/helpers.ts';
import { repoRoot, specdriveBin } from './helpers/project-copy.ts';

describe('specdrive sim prints how to connect', () => {
  it('the printed Python line, pasted, talks to the simulator over the pty; READMEs carry the same lines', async () => {
    const spec = join(repoRoot, 'hardware-specs/demo-board/rev-b.yaml');
    const child = spawn(process.execPath, [specdriveBin, 'sim', spec, '--pty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const lines = await new Promise<Record<string, string>>((resolve, reject) => {
        const check = (): void => {
          const found = Object.fromEntries([...stdout.matchAll(/^ {2}(C|TypeScript|Python|op runner): +(.+)$/gm)].map((m) => [m[1]!, m[2]!]));
          if (Object.keys(found).length === 4) resolve(found);
        };
        child.stdout.on('data', check);
        void exited.then((code) => reject(new Error(`sim exited early (${code}): ${stderr}`)));
      });
      const pty = /listening: pty (\S+)/.exec(stdout)![1]!;
      expect(lines['C']).toBe(`sd_link_open_serial(&link, "${pty}");`);
      expect(lines['TypeScript']).toBe(`const { device } = await openDevice(await serialTransport("${pty}"));`);
      expect(lines['op runner']).toBe(`serial:${pty}`);

      const files = render('python', contractModel('rev-b', ['uart']));
      const dir = materialise(files);
      writeFileSync(
        join(dir, 'pasted.py'),
        `from demo_board_rev_b import open_device, SerialTransport\n${lines['Python']}\ndevice.UART0.init(115200, 2)\nprint(device.UART0.CTRL.read())\n`,
      );
      expect(run('python3', ['pasted.py'], dir)).toContain("'ENABLE': 1");

      for (const target of ['c', 'ts', 'python']) {
        const readme = render(target, contractModel('rev-b', ['uart'])).find((f) => f.path === 'README.md')!.contents;
        expect(readme).toContain('/dev/ttyUSB0');
        expect(readme).toContain('specdrive sim SPEC --pty');
      }
      const pyReadme = files.find((f) => f.path === 'README.md')!.contents;
      expect(pyReadme).toContain('device = open_device(SerialTransport("/dev/pts/3"))');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
