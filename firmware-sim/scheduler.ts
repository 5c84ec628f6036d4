/**
 * Virtual time. The device only moves forward when the host says so (TICK, or WAIT polling), so
 * a test that passes once passes every time, on any machine, under any load.
 */
interface Scheduled {
  readonly at: number;
  readonly order: number;
  readonly run: () => void;
}

export class Scheduler {
  now = 0;
  private queue: Scheduled[] = [];
  private order = 0;

  /** Runs `run` when time reaches now + delay (delay ≥ 1: an action never fires inside the access that scheduled it). */
  schedule(delay: number, run: () => void): void {
    const item = { at: this.now + Math.max(1, Math.floor(delay)), order: this.order++, run };
    // Sorted insert (stable by order): the queue is short, and binary search keeps it cheap.
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const q = this.queue[mid]!;
      if (q.at < item.at || (q.at === item.at && q.order < item.order)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, item);
  }

  /** Time of the next scheduled action, if any. */
  nextAt(): number | undefined {
    return this.queue[0]?.at;
  }

  /** Runs every action due at or before now, in time then scheduling order. */
  runDue(): void {
    while (this.queue.length > 0 && this.queue[0]!.at <= this.now) this.queue.shift()!.run();
  }

  get pending(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue = [];
  }
}
