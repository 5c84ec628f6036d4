import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../../src/package/root.ts';
import * as z from 'zod';
import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { analyseDevice } from '../framework/analysis.ts';
import { resolveOperations, runnerEntries } from '../framework/operations.ts';
import { render } from '../framework/templates.ts';
import type { GeneratedFile, GeneratorDefinition, GeneratorModel } from '../framework/types.ts';
import { deviceView, tsRunnerView } from './view-model.ts';
import { exampleOf, packageReadme } from '../framework/readme.ts';

const here = packagePath('generators', 'typescript');
const protocolDir = packagePath('src', 'protocol');

export const tsConfigSchema = z
  .object({
    /** npm package name; default derived from board and revision. */
    packageName: z
      .string()
      .regex(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, 'not a valid npm package name')
      .optional(),
    packageVersion: z
      .string()
      .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/)
      .default('1.0.0'),
  })
  .strict();
export type TsConfig = z.infer<typeof tsConfigSchema>;

/** Files copied verbatim into every SDK (read once). */
let runtimeCache: GeneratedFile[] | undefined;
function runtimeFiles(): GeneratedFile[] {
  if (!runtimeCache) {
    const files: GeneratedFile[] = ['register.ts', 'io.ts', 'errors.ts'].map((name) => ({
      path: `src/runtime/${name}`,
      contents: readFileSync(join(here, 'runtime', name), 'utf8'),
    }));
    // The SDK carries its own copy of the protocol client so it is self-contained and publishable.
    for (const name of readdirSync(protocolDir)
      .filter((f) => f.endsWith('.ts'))
      .sort()) {
      files.push({ path: `src/runtime/protocol/${name}`, contents: readFileSync(join(protocolDir, name), 'utf8') });
    }
    files.push({
      path: 'src/runtime/protocol.ts',
      contents: [
        "export { Client, type ClientOptions } from './protocol/client.ts';",
        "export { ProtocolError, LinkError } from './protocol/errors.ts';",
        "export { Status } from './protocol/frame.ts';",
        "export { inProcessPair, streamTransport, type ByteTransport } from './protocol/transport.ts';",
        '',
      ].join('\n'),
    });
    runtimeCache = files;
  }
  return runtimeCache;
}

/** `<pkg>/link`: a checked link for programs that import peripherals one by one (no device module). */
const LINK_MODULE = [
  "import { openLink, type LinkOptions } from './runtime/io.ts';",
  "import type { RegisterIo } from './runtime/register.ts';",
  "import type { ByteTransport, Client } from './runtime/protocol.ts';",
  "import { IDENTITY } from './identity.ts';",
  '',
  "export { CONFIG, IDENTITY } from './identity.ts';",
  "export { socketTransport, serialTransport, type LinkOptions } from './runtime/io.ts';",
  "export { OperationError, type OperationErrorCode } from './runtime/errors.ts';",
  '',
  '/** Opens the wire protocol over a transport and checks HELLO against IDENTITY; pass `io` to a peripheral. */',
  'export async function connect(transport: ByteTransport, options: LinkOptions = {}): Promise<{ io: RegisterIo; client: Client }> {',
  '  return openLink(transport, IDENTITY, options);',
  '}',
  '',
].join('\n');

function packageName(model: GeneratorModel): string {
  const raw = `${model.device.board ?? model.device.name}-${model.device.revision ?? 'sdk'}-sdk`;
  const clean = raw
    .toLowerCase()
    .replace(/[^a-z0-9-._~]+/g, '-')
    .replace(/^[-._]+/, '');
  return clean || 'specdrive-sdk';
}

export const tsGenerator: GeneratorDefinition<TsConfig> = {
  name: 'ts',
  version: '1.3.1',
  description: 'TypeScript SDK: typed register accessors, operations, HELLO check, serial/socket/in-process transports',
  configSchema: tsConfigSchema,
  generate(model, config, emit) {
    const diagnostics: Diagnostic[] = [];
    const analysis = analyseDevice(model.device, diagnostics);
    const ops = resolveOperations(model.operations, analysis.peripherals, diagnostics);
    const view = deviceView(model, analysis, ops, diagnostics);
    const pkg = {
      name: config.packageName ?? packageName(model),
      version: config.packageVersion,
      description: `Register SDK for ${model.device.board ?? model.device.name} ${model.device.revision ?? ''}`.trim(),
      type: 'module',
      main: './dist/index.js',
      types: './dist/index.d.ts',
      // One peripheral costs one peripheral: `<pkg>/peripherals/UART0` loads (and type-checks) only
      // UART0's layout and the runtime; `<pkg>/link` opens a checked link without the device module.
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './link': { types: './dist/link.d.ts', default: './dist/link.js' },
        './peripherals/*': { types: './dist/peripherals/*.d.ts', default: './dist/peripherals/*.js' },
      },
      files: ['dist', 'src'],
      scripts: { build: 'tsc -p .', check: 'tsc -p . --noEmit' },
      dependencies: { serialport: '^13.0.0' },
      devDependencies: { '@types/node': '^20.0.0', typescript: '>=5.7' },
      specdrive: { generator: `ts ${tsGenerator.version}`, specHash: model.specHash },
    };
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        rewriteRelativeImportExtensions: true,
        declaration: true,
        outDir: 'dist',
        rootDir: 'src',
        skipLibCheck: true,
        types: ['node'],
        lib: ['ES2022'],
      },
      include: ['src'],
    };
    emit({ path: 'package.json', contents: JSON.stringify(pkg, null, 2) + '\n' });
    emit({ path: 'tsconfig.json', contents: JSON.stringify(tsconfig, null, 2) + '\n' });
    emit({ path: 'README.md', contents: packageReadme(model, { target: 'ts', packageName: pkg.name, ...exampleOf(analysis, ops) }) });
    emit({ path: 'src/identity.ts', contents: render(here, 'identity.ts', view) });
    emit({ path: 'src/device.ts', contents: render(here, 'device.ts', { ...view, layouts: view.types }) });
    emit({ path: 'src/link.ts', contents: LINK_MODULE });
    for (const type of view.types)
      emit({ path: `src/layouts/${type.file}.ts`, contents: render(here, 'layout.ts', { title: view.title, comment: view.comment, ...type }) });
    for (const p of view.peripherals) emit({ path: `src/peripherals/${p.file}.ts`, contents: render(here, 'peripheral.ts', p) });
    emit({
      path: 'src/index.ts',
      contents: [
        "export * from './device.ts';",
        "export { Register, type RegisterApi, type RegisterIo, type RegisterSpec, type FieldSpec } from './runtime/register.ts';",
        "export { clientIo, openLink, socketTransport, serialTransport, type DeviceIdentity, type LinkOptions } from './runtime/io.ts';",
        "export { Client, inProcessPair, streamTransport, ProtocolError, LinkError, type ByteTransport } from './runtime/protocol.ts';",
        "export { OperationError, type OperationErrorCode } from './runtime/errors.ts';",
        '',
      ].join('\n'),
    });
    // Outside src/: a test tool (docs/generators.md, "Op runners"), not part of the published API.
    emit({ path: 'op-runner.ts', contents: render(here, 'op-runner.ts', tsRunnerView(runnerEntries(model.operations, analysis.peripherals, ops))) });
    for (const file of runtimeFiles()) emit(file);
    return diagnostics;
  },
};
