import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliIn, type CliRun } from '../../helpers/run-cli.ts';

const cli = (args: string[], cwd = process.cwd()): Promise<CliRun> => runCliIn(cwd, args);

describe('SystemRDL include paths from the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rdl-include-'));
  mkdirSync(join(dir, 'inc'));
  writeFileSync(join(dir, 'inc', 'regs.rdl'), 'reg r_t { field { sw=rw; hw=r; } f[8] = 0; };\n');
  writeFileSync(join(dir, 'top.rdl'), '`include "regs.rdl"\naddrmap top { r_t a @ 0x0; };\n');

  it("an include outside the file's folder is not found without -I, with its location", async () => {
    const r = await cli(['validate', join(dir, 'top.rdl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'top.rdl')}:1:10: error[rdl/include-not-found]`);
  });

  it('-I DIR lets validate and import read it', async () => {
    expect((await cli(['validate', '-I', join(dir, 'inc'), join(dir, 'top.rdl')])).code).toBe(0);
    expect((await cli(['import', '-I', join(dir, 'inc'), join(dir, 'top.rdl'), '-o', join(dir, 'top.yaml')])).code).toBe(0);
  });

  it("reads relative file names, -I folders and the file's own includes from the command's directory, not the process's", async () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'fields.rdl'), 'reg q_t { field { sw=rw; hw=r; } g[4] = 0; };\n');
    writeFileSync(join(dir, 'sub', 'both.rdl'), '`include "fields.rdl"\n`include "regs.rdl"\naddrmap both { q_t qq @ 0x0; r_t a @ 0x4; };\n');
    expect(process.cwd()).not.toBe(dir);
    const r = await cli(['validate', '-I', 'inc', join('sub', 'both.rdl')], dir);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
  });
});
