/**
 * A side channel for progress while a generator walks a big device: output never depends on it.
 * The CLI installs an observer around rendering (`observePeripherals`); the analysis reports each
 * peripheral as it is done. Without an observer, reporting costs one comparison.
 */
export interface PeripheralProgress {
  readonly peripheral: string;
  /** 1-based position among `total`. */
  readonly index: number;
  readonly total: number;
}

let observer: ((event: PeripheralProgress) => void) | undefined;

/** Runs `body` with `onPeripheral` told about every peripheral analysed meanwhile. */
export function observePeripherals<T>(onPeripheral: (event: PeripheralProgress) => void, body: () => T): T {
  const previous = observer;
  observer = onPeripheral;
  try {
    return body();
  } finally {
    observer = previous;
  }
}

export function peripheralAnalysed(peripheral: string, index: number, total: number): void {
  observer?.({ peripheral, index, total });
}
