import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenUnix, loadSimulator, SimServer, type Listener } from '../../../firmware-sim/index.ts';
import { C_FLAGS, ROOT, materialise, modelOf, render, run } from './helpers.ts';

const execFileAsync = promisify(execFile);
const SPEC = 'hardware-specs/demo-board/rev-c.yaml';

/** The generated SDKs against the real simulator over a Unix socket. */
describe('generated code against firmware-sim', () => {
  let listener: Listener;
  let socket: string;
  beforeAll(async () => {
    const sim = loadSimulator(join(ROOT, SPEC));
    if (!sim.value) throw new Error(sim.diagnostics.map((d) => d.message).join('; '));
    socket = join(mkdtempSync(join(tmpdir(), 'sdsim-')), 'sim.sock');
    listener = await listenUnix(new SimServer([sim.value]), socket);
  });
  afterAll(async () => listener?.close());

  it('TypeScript: HELLO matches, reset values read back, modify by enum name round-trips', async () => {
    const dir = materialise(render('ts', modelOf(SPEC)));
    const sdk = await import(pathToFileURL(join(dir, 'src', 'index.ts')).href);
    const { device, client } = await sdk.openDevice(await sdk.socketTransport(socket));
    try {
      expect((await device.UART0.BAUD.read()).DIV).toBe(0x1a);
      await device.UART0.CTRL.modify({ PARITY: 'EVEN', ENABLE: 1 });
      expect(await device.UART0.CTRL.read()).toEqual({ ENABLE: 1, PARITY: 'EVEN', RXIE: 0 });
    } finally {
      await client.close();
    }
  });

  it('C host link: the same driver code runs on a PC through sd_link over the socket', async () => {
    const dir = materialise(render('c', modelOf(SPEC)));
    writeFileSync(
      join(dir, 'main.c'),
      `#include <stdio.h>
#include "sd_link.h"
#include "sd_device.h"
int main(int argc, char **argv) {
  sd_link link;
  int rc;
  if (argc < 2 || sd_link_open_unix(&link, argv[1]) != 0) return 2;
  rc = sd_link_hello(&link, SD_BOARD, SD_REVISION, SD_SPEC_HASH);
  if (rc != 0) { printf("hello %d\\n", rc); return 3; }
  sd_link_use(&link);
  UART0_BAUD_MODIFY(UART0_BASE, SD_FIELD_SET(UART0_BAUD_DIV, 0x30u), UART0_BAUD_DIV_Msk);
  printf("div %u err %d\\n", (unsigned)SD_FIELD_GET(UART0_BAUD_DIV, UART0_BAUD_READ(UART0_BASE)), sd_io_error);
  sd_link_close(&link);
  return 0;
}
`,
    );
    run('gcc', ['-std=c99', ...C_FLAGS, '-DSD_HOST', '-Iinclude', 'main.c', 'src/sd_link.c', '-o', 'main'], dir);
    const { stdout } = await execFileAsync(join(dir, 'main'), [socket]);
    expect(stdout).toContain('div 48 err 0');
  });

  it('Python: open_device over SocketTransport checks HELLO and modifies a field', async () => {
    const dir = materialise(render('python', modelOf(SPEC)));
    const { stdout } = await execFileAsync(
      'python3',
      [
        '-c',
        `import sys
from demo_board_rev_c import open_device, SocketTransport
dev = open_device(SocketTransport(sys.argv[1]))
dev.TIM0.PSC.modify(PSC=0x1234)
print(dev.TIM0.PSC.read(), dev.TIM0.ARR.read())`,
        socket,
      ],
      { cwd: dir },
    );
    expect(stdout.trim()).toBe("{'PSC': 4660} {'ARR': 65535}");
  });
});
