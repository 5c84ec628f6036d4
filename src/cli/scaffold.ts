import { readFileSync } from 'node:fs';
import { packagePath } from '../package/root.ts';

/**
 * What `specdrive init` writes: a project that `npm install && npx specdrive ci` runs green as it
 * is, so a new user starts from something that works and edits it. A pure function of its options
 * (the CLI writes the files).
 */
export interface ScaffoldOptions {
  readonly name: string;
  readonly board: string;
  /** The specdrive-cli version the scaffold depends on. */
  readonly version: string;
}

export interface ScaffoldFile {
  readonly path: string;
  readonly contents: string;
  /** Left alone when it exists already (a package.json the user has); otherwise an existing file stops init. */
  readonly keepExisting?: boolean;
}

/** The published package name (the command stays `specdrive`). */
export const PACKAGE_NAME = 'specdrive-cli';

/** specdrive's own version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}

const SCHEMAS = `node_modules/${PACKAGE_NAME}`;

function packageJson(o: ScaffoldOptions): string {
  const manifest = {
    name: o.name.toLowerCase(),
    private: true,
    description: `Drivers and SDKs for ${o.board}, generated and tested by specdrive`,
    scripts: { check: 'specdrive check', ci: 'specdrive ci' },
    devDependencies: { [PACKAGE_NAME]: `^${o.version}` },
    // npm 11 runs dependency install scripts only where allowed. The serial and USB addons ship
    // prebuilt binaries (their scripts only rebuild when none fits); esbuild's is not needed by tsx.
    allowScripts: { '@serialport/bindings-cpp': true, usb: true, esbuild: true, 'core-js': false, [PACKAGE_NAME]: false },
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}

const project = (o: ScaffoldOptions): string => `# yaml-language-server: $schema=${SCHEMAS}/software-specs/schema/project.schema.json
# The project: which boards, contracts, configurations and profiles \`specdrive ci\` works on.
spec: specdrive/project@1
name: ${o.name}
boards:
  ${o.board}: hardware-specs/${o.board}
contracts: [software-specs/*.driver.yaml]
configs: [software-specs/configs/*.yaml]
profiles: [software-specs/profiles/*.yaml]
targets: [c, typescript, python, docs]
output: out
fail_on: broken
`;

const revision = (o: ScaffoldOptions): string => `# yaml-language-server: $schema=../../${SCHEMAS}/hardware-specs/schema/hardware.schema.json
# The first revision of ${o.board}: replace it with your register map (or import one:
# \`npx specdrive import chip.svd -o hardware-specs/${o.board}/rev-a.yaml\`).
spec: specdrive/hardware@1
board: ${o.board}
revision: rev-a
clocks: { HCLK: 48_000_000 }
peripherals:
  UART0:
    kind: uart
    base: 0x4000_0000
    size: 0x100
    registers:
      CTRL:
        offset: 0x00
        fields:
          EN: { bits: 0, access: rw, description: Enables the port. }
      STATUS:
        offset: 0x04
        fields:
          TXE: { bits: 0, access: r, reset: 1, description: Transmit buffer empty. }
      DATA:
        offset: 0x08
        fields:
          DATA: { bits: 7..0, access: rw, description: One data byte. }
      BAUD:
        offset: 0x0C
        description: Baud-rate divider; baud = HCLK / (16 * DIV).
        fields:
          DIV: { bits: 15..4, access: rw, reset: 0x1A, description: Integer divider. }
    quantities:
      baud: { expr: HCLK / (16 * BAUD.DIV), unit: Hz }
    behaviours:
      # The simulator's model: a written byte goes out on the tx stream; the buffer is busy 10 ticks.
      - on: write DATA
        do:
          - emit tx DATA.DATA
          - set STATUS.TXE 0
          - after 10 ticks set STATUS.TXE 1
`;

const contract = (o: ScaffoldOptions): string => `# yaml-language-server: $schema=../${SCHEMAS}/software-specs/schema/driver.schema.json
# What the UART driver relies on, by role, and scenarios that test every generated SDK against the
# simulator. \`specdrive check\` binds it to every revision of ${o.board}.
spec: specdrive/driver@1
driver: uart
kind: uart
written_for: ${o.board}/rev-a
roles:
  enable:   { field: CTRL.EN, write: true, width: 1 }
  tx_empty: { field: STATUS.TXE, read: true }
  data:     { field: DATA.DATA, write: true, width: 8 }
  baud_div: { field: BAUD.DIV, write: true }
quantities: [baud]
operations:
  init:
    description: Sets the baud rate, then enables the port.
    params:
      baud: { type: u32 }
    steps:
      - modify: { enable: 0 }
      - solve: { quantity: baud, target: $baud, tolerance: 2% }
      - modify: { enable: 1 }
  send_byte:
    params:
      byte: { type: u8 }
    steps:
      - wait: { role: tx_empty, equals: 1, timeout: 1000 }
      - write: { data: $byte }
scenarios:
  - name: transmit a byte
    steps:
      - call: init
        with: { baud: 115200 }
      - expect_field: { role: enable, equals: 1 }
      - call: send_byte
        with: { byte: 0x41 }
      - expect_output: { stream: tx, bytes: [0x41] }
`;

const config = (o: ScaffoldOptions): string => `# yaml-language-server: $schema=../../${SCHEMAS}/software-specs/schema/config.schema.json
# Layer 3: what this board's firmware needs; the solver finds the register values.
spec: specdrive/config@1
name: ${o.board}-console
board: ${o.board}
revision: rev-a
drivers:
  uart: { peripheral: UART0 }
targets:
  - { quantity: UART0.baud, value: 115200, tolerance: 2% }
`;

const profile = (): string => `# yaml-language-server: $schema=../../${SCHEMAS}/software-specs/schema/profile.schema.json
# Layer 4: how the SDKs are generated for their users.
spec: specdrive/profile@1
name: default
prefer: low-power
io: polling
naming: snake
sdk: [c, typescript, python]
`;

function workflow(file: string): string {
  return readFileSync(packagePath('docs', 'ci', file), 'utf8');
}

export function scaffoldFiles(o: ScaffoldOptions): ScaffoldFile[] {
  return [
    { path: 'package.json', contents: packageJson(o), keepExisting: true },
    { path: '.gitignore', contents: 'node_modules/\nout/\n', keepExisting: true },
    { path: 'specdrive.yaml', contents: project(o) },
    { path: `hardware-specs/${o.board}/rev-a.yaml`, contents: revision(o) },
    { path: 'software-specs/uart.driver.yaml', contents: contract(o) },
    { path: `software-specs/configs/${o.board}-console.yaml`, contents: config(o) },
    { path: 'software-specs/profiles/default.yaml', contents: profile() },
    { path: '.github/workflows/specdrive.yml', contents: workflow('github-actions.yml') },
    { path: '.github/workflows/specdrive-comment.yml', contents: workflow('github-actions-comment.yml') },
  ];
}

/** What to do after init, printed once the files are written. */
export function nextSteps(o: ScaffoldOptions, dir: string, keptPackageJson: boolean, hasDependency: boolean): string {
  const cd = dir === '.' ? '' : `  cd ${dir}\n`;
  const install =
    keptPackageJson && !hasDependency
      ? `  npm install --save-dev ${PACKAGE_NAME}   # your package.json was kept; add specdrive to it\n`
      : '  npm install                     # installs specdrive-cli; commit package-lock.json (CI runs npm ci)\n';
  return [
    '',
    'Next steps:',
    `${cd}${install}  npx specdrive check             # binds the example UART contract to ${o.board} rev-a and solves its baud rate`,
    '  npx specdrive ci                # generates C, TypeScript and Python, compiles them and runs the scenarios on the simulator',
    '',
    `Then replace hardware-specs/${o.board}/rev-a.yaml with your register map (\`npx specdrive import chip.svd -o ...\`),`,
    'write your driver contracts in software-specs/, and push: .github/workflows/specdrive.yml runs `specdrive ci` per board.',
    '',
  ].join('\n');
}
