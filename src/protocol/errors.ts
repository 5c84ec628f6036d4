import { opName, statusName } from './frame.ts';

/** The device answered, with a status other than OK. The request was executed (or refused) exactly once. */
export class ProtocolError extends Error {
  readonly code = 'protocol/status';
  constructor(
    readonly status: number,
    readonly op: number,
    readonly address: number,
    /** For bursts: beats completed before the error. */
    readonly completed?: number,
  ) {
    super(`${opName(op)} at 0x${(address >>> 0).toString(16).padStart(8, '0')} failed: ${statusName(status)}`);
    this.name = 'ProtocolError';
  }
  get statusName(): string {
    return statusName(this.status);
  }
}

export type LinkErrorCode = 'protocol/timeout' | 'protocol/link-closed' | 'protocol/spec-mismatch' | 'protocol/bad-response' | 'protocol/no-hello';

/**
 * The link failed: no trustworthy answer. Whether a failed request was executed is unknown, which is
 * why it is reported and never guessed.
 */
export class LinkError extends Error {
  constructor(
    readonly code: LinkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LinkError';
  }
}
