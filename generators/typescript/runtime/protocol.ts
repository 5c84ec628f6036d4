// In the repository this re-exports the project's protocol client; the generator replaces it with a
// re-export of the copy it puts inside the generated package (runtime/protocol/).
export { Client, type ClientOptions } from '../../../src/protocol/client.ts';
export { ProtocolError, LinkError } from '../../../src/protocol/errors.ts';
export { Status } from '../../../src/protocol/frame.ts';
export { inProcessPair, streamTransport, type ByteTransport } from '../../../src/protocol/transport.ts';
