import type { Simulator } from '../../../firmware-sim/simulator.ts';
import { SimServer, type ServerOptions } from '../../../firmware-sim/server.ts';
import { loadSimulator } from '../../../firmware-sim/load.ts';
import { connect, inProcessPair, type Client, type ClientOptions } from '../../../src/protocol/index.ts';

export const DEMO = (rev: 'rev-a' | 'rev-b' | 'rev-c'): string => new URL(`../../../hardware-specs/demo-board/${rev}.yaml`, import.meta.url).pathname;

export function demoSim(rev: 'rev-a' | 'rev-b' | 'rev-c' = 'rev-b', options: Parameters<typeof loadSimulator>[1] = {}): Simulator {
  const loaded = loadSimulator(DEMO(rev), options);
  if (!loaded.value) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return loaded.value;
}

/** A simulator served in-process with a connected client. */
export async function inProcess(
  sims: Simulator[],
  serverOptions: ServerOptions = {},
  clientOptions: ClientOptions = {},
): Promise<{ client: Client; server: SimServer; link: ReturnType<SimServer['attach']>; close(): Promise<void> }> {
  const server = new SimServer(sims, serverOptions);
  const [host, device] = inProcessPair();
  const link = server.attach(device);
  const client = await connect(host, { heartbeatMs: 0, ...clientOptions });
  return {
    client,
    server,
    link,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export const UART0 = 0x4000_1000;
export const GPIOA = 0x4000_2000;
export const TIM0 = 0x4000_3000;
