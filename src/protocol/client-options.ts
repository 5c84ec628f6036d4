/** What a Client can be told, per client and per access (src/protocol/client.ts). */

export interface ClientOptions {
  /** Time to wait for a response before the first retransmission (ms); doubled per retransmission (`attemptTimeoutMs`). */
  readonly timeoutMs?: number;
  /** Retransmissions per request before it is reported as a LinkError. */
  readonly retries?: number;
  /** Most requests outstanding at once (pipelining depth). */
  readonly window?: number;
  /** HELLO attempts on connect (bytes written before a pty peer opens are lost, so keep asking). */
  readonly helloRetries?: number;
  /** Idle time after which a HELLO checks the link is alive (ms); 0 disables. */
  readonly heartbeatMs?: number;
  /** Refuse a device whose HELLO does not match (generated SDKs pass their spec hash). */
  readonly expect?: { readonly specHash?: string; readonly board?: string; readonly revision?: string };
  /** Default device number for requests. */
  readonly device?: number;
}

export interface AccessOptions {
  /** Access width in bytes: 1, 2 or 4 (default 4). */
  readonly width?: 1 | 2 | 4;
  readonly device?: number;
}

export interface BurstOptions extends AccessOptions {
  /** Every beat at the same address (FIFO data registers) instead of incrementing. */
  readonly fixed?: boolean;
}

export interface ClientStats {
  requests: number;
  retransmits: number;
  duplicates: number;
  crcErrors: number;
  badFrames: number;
  eventGaps: number;
}

/** Retransmission waits double up to this many times (200 ms, 400 ms, … 3.2 s; docs/protocol.md). */
export const BACKOFF_DOUBLINGS = 4;

/**
 * How long attempt `attempt` (0 = the first send) waits for its answer. Backing off lets a peer that
 * is only slow, such as a simulator sharing a loaded machine, answer, while a lost frame is still
 * resent after `timeoutMs`. The C and Python links use the same rule.
 */
export function attemptTimeoutMs(timeoutMs: number, attempt: number): number {
  return timeoutMs * 2 ** Math.min(attempt, BACKOFF_DOUBLINGS);
}
