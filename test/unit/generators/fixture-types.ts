// Type of the SDK generated from test/fixtures/generators/mixed.yaml, for the dynamic import in
// sdk.test.ts: only the members the test touches.
export interface FixtureRegister {
  modify(values: object): Promise<void>;
  write(values: object): Promise<void>;
  read(): Promise<Record<string, string | number>>;
}
export declare function createDevice(io: object): {
  DEV: {
    CTRL: FixtureRegister;
    GRP: readonly { CFG: FixtureRegister }[];
    ARR: readonly FixtureRegister[];
    clear_CTRL_W1C(): Promise<void>;
    clear_CTRL_W0C(): Promise<void>;
    clear_RXD_OVF(): Promise<void>;
  };
};
