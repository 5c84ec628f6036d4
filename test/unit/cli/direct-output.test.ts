import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { directWriter } from '../../../src/cli/direct-output.ts';

/** Issue 17 (start-up): the CLI writes stdout/stderr with writeSync, and falls back to the stream on any error. */
const dir = mkdtempSync(join(tmpdir(), 'specdrive-direct-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recordingStream(): { stream: NodeJS.WritableStream; written: string[] } {
  const written: string[] = [];
  const stream = { write: (chunk: string | Uint8Array) => written.push(Buffer.from(chunk).toString('utf8')) } as unknown as NodeJS.WritableStream;
  return { stream, written };
}

describe('directWriter', () => {
  it('writes the UTF-8 bytes to the descriptor, in order, without touching the stream', () => {
    const file = join(dir, 'out.txt');
    const fd = openSync(file, 'w');
    const { stream, written } = recordingStream();
    const write = directWriter(fd, () => stream);
    write('ok: 1 spec(s) valid\n');
    write('µ → done\n');
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('ok: 1 spec(s) valid\nµ → done\n');
    expect(written).toEqual([]);
  });

  it('hands the text and every later write to the stream when the descriptor fails', () => {
    // No such descriptor (far above any open-file limit): writeSync fails with EBADF. A closed one could
    // be reused by another open in this process meanwhile.
    const { stream, written } = recordingStream();
    const write = directWriter(1 << 30, () => stream);
    write('first\n');
    write('second\n');
    expect(written).toEqual(['first\n', 'second\n']);
  });
});
