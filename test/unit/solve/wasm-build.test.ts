import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/demo.ts';

/**
 * The committed wasm must be exactly what the Rust sources build with Debian's toolchain (rustc
 * 1.63 + libstd-rust-dev-wasm32, installed by .ci/run), and the crate's native unit tests pass.
 * Built in a copy without `target/`, so a stale local build cannot hide a difference.
 */
describe('wasm-core build', () => {
  const work = mkdtempSync(join(tmpdir(), 'specdrive-wasm-'));
  const crate = join(work, 'wasm-core');
  cpSync(join(repoRoot, 'wasm-core'), crate, { recursive: true, filter: (src) => !src.includes(`${join('wasm-core', 'target')}`) });
  const env = { ...process.env, RUSTC: '/usr/bin/rustc', CARGO_TARGET_DIR: join(work, 'target') };

  it('rebuilds byte for byte into the committed specdrive_core.wasm', () => {
    execFileSync('/usr/bin/cargo', ['build', '--quiet', '--release', '--target', 'wasm32-unknown-unknown'], { cwd: crate, env, stdio: 'pipe' });
    const built = readFileSync(join(work, 'target', 'wasm32-unknown-unknown', 'release', 'specdrive_core.wasm'));
    const committed = readFileSync(join(repoRoot, 'wasm-core', 'specdrive_core.wasm'));
    expect(built.length).toBe(committed.length);
    expect(built.equals(committed)).toBe(true);
  }, 600_000);

  it('passes its native cargo tests', () => {
    const out = execFileSync('/usr/bin/cargo', ['test', '--quiet'], { cwd: crate, env, stdio: 'pipe' }).toString();
    expect(out).toMatch(/test result: ok\. [1-9]\d* passed; 0 failed/);
    rmSync(work, { recursive: true, force: true });
  }, 600_000);
});
