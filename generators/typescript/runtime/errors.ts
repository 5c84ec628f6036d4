/**
 * Why a generated operation failed, as opposed to the link failing (LinkError) or the device
 * refusing an access (ProtocolError): `unsupported` — a value no solved configuration covers (a
 * baud rate outside the solved table); `timeout` — a wait step's condition did not hold in time.
 */
export type OperationErrorCode = 'unsupported' | 'timeout';

export class OperationError extends Error {
  override readonly name = 'OperationError';

  constructor(
    readonly code: OperationErrorCode,
    readonly operation: string,
    detail: string,
  ) {
    super(`${code} ${operation}: ${detail}`);
  }
}
