import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
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

  /**
   * A peer that is slow, not gone: every answer after HELLO is held for 1.6 s, longer than six
   * fixed 200 ms waits (1.2 s). The clients back off (200, 400, 800 ms, …) and get the answer; the
   * retransmissions meanwhile are answered from the device's cache and discarded as stale.
   */
  describe('a slow peer', () => {
    let proxy: Server;
    let slowSocket: string;
    beforeAll(async () => {
      slowSocket = join(mkdtempSync(join(tmpdir(), 'sdslow-')), 'slow.sock');
      proxy = createServer((client) => {
        const upstream = connect(socket);
        let answers = 0;
        client.on('data', (bytes) => upstream.write(bytes));
        upstream.on('data', (bytes) => {
          answers++;
          if (answers === 1) client.write(bytes);
          else setTimeout(() => client.destroyed || client.write(bytes), 1600);
        });
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.on('error', () => undefined);
        upstream.on('error', () => undefined);
      });
      await new Promise<void>((done) => proxy.listen(slowSocket, done));
    });
    afterAll(() => new Promise<void>((done) => (proxy ? proxy.close(() => done()) : done())));

    it('TypeScript waits for it instead of giving up after 1.2 s', async () => {
      const dir = materialise(render('ts', modelOf(SPEC)));
      const sdk = await import(pathToFileURL(join(dir, 'src', 'index.ts')).href);
      const { device, client } = await sdk.openDevice(await sdk.socketTransport(slowSocket));
      try {
        expect((await device.TIM0.ARR.read()).ARR).toBe(0xffff);
      } finally {
        await client.close();
      }
    });

    it('Python waits for it instead of giving up after 1.2 s', async () => {
      const dir = materialise(render('python', modelOf(SPEC)));
      const { stdout } = await execFileAsync(
        'python3',
        [
          '-c',
          'import sys\nfrom demo_board_rev_c import open_device, SocketTransport\ndev = open_device(SocketTransport(sys.argv[1]))\nprint(dev.TIM0.ARR.read())',
          slowSocket,
        ],
        { cwd: dir },
      );
      expect(stdout.trim()).toBe("{'ARR': 65535}");
    });

    it('the C host link waits for it too', async () => {
      const dir = materialise(render('c', modelOf(SPEC)));
      writeFileSync(
        join(dir, 'slow.c'),
        `#include <stdio.h>
#include "sd_link.h"
#include "sd_device.h"
int main(int argc, char **argv) {
  sd_link link;
  if (argc < 2 || sd_link_open_unix(&link, argv[1]) != 0) return 2;
  if (sd_link_hello(&link, SD_BOARD, SD_REVISION, SD_SPEC_HASH) != 0) return 3;
  sd_link_use(&link);
  printf("arr %u err %d\\n", (unsigned)SD_FIELD_GET(TIM0_ARR_ARR, TIM0_ARR_READ(TIM0_BASE)), sd_io_error);
  sd_link_close(&link);
  return 0;
}
`,
      );
      run('gcc', ['-std=c99', ...C_FLAGS, '-DSD_HOST', '-Iinclude', 'slow.c', 'src/sd_link.c', '-o', 'slow'], dir);
      const { stdout } = await execFileAsync(join(dir, 'slow'), [slowSocket]);
      expect(stdout).toContain('arr 65535 err 0');
    });
  });
});
