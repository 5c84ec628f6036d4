import type { Device } from '../ir/types.ts';
import { connect, inProcessPair, type Client, type DeviceEvent } from '../protocol/index.ts';
import { Simulator, SimServer } from '../../firmware-sim/index.ts';

/**
 * One simulated device and a control link to it. Scenarios drive the device through an executor
 * (its own link) and observe it through this control link: injected input, virtual time, output
 * streams and interrupt lines.
 */
export class SimSession {
  readonly events: DeviceEvent[] = [];
  private constructor(
    readonly device: Device,
    readonly simulator: Simulator,
    readonly server: SimServer,
    readonly control: Client,
  ) {
    control.onEvent((e) => this.events.push(e));
  }

  static async start(device: Device): Promise<SimSession> {
    const simulator = new Simulator(device, {});
    const server = new SimServer([simulator]);
    const control = await SimSession.link(server);
    return new SimSession(device, simulator, server, control);
  }

  /** Another in-process client of the same device (links are served in order). */
  static async link(server: SimServer): Promise<Client> {
    const [deviceEnd, hostEnd] = inProcessPair('scenario');
    server.attach(deviceEnd);
    return connect(hostEnd, { heartbeatMs: 0, timeoutMs: 2000 });
  }

  /** Bytes seen so far on an output stream (`UART0.tx`). */
  output(stream: string): number[] {
    return this.events.filter((e) => e.kind === 'stream' && e.name === stream).flatMap((e) => [...(e.data ?? [])]);
  }

  /** The last level seen on an interrupt line, or on any line when none is named. */
  irqLevel(name?: string): boolean {
    const irqs = this.events.filter((e) => e.kind === 'irq' && (name === undefined || e.name === name));
    return irqs[irqs.length - 1]?.irq?.level ?? false;
  }

  async close(): Promise<void> {
    await this.control.close();
    await this.server.close();
  }
}
