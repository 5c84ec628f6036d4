/**
 * How a client connects to a link, in each SDK's own words: one ready-to-paste line per language.
 * `specdrive sim` prints them for where it listens, and every generated package's README shows
 * them for the simulator and for a real port — one wording, two places.
 */

/** Where a device is reached: `serial:/dev/pts/3`, `unix:/tmp/sd.sock` or `tcp:127.0.0.1:4000`. */
export type LinkAddress = { readonly kind: 'serial' | 'unix'; readonly path: string } | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

export function parseLinkAddress(text: string): LinkAddress | undefined {
  const m = /^(serial|unix):(.+)$/.exec(text);
  if (m) return { kind: m[1] as 'serial' | 'unix', path: m[2]! };
  const t = /^tcp:(.+):(\d+)$/.exec(text);
  return t ? { kind: 'tcp', host: t[1]!, port: Number(t[2]) } : undefined;
}

const json = (s: string): string => JSON.stringify(s);

export function formatLinkAddress(a: LinkAddress): string {
  return a.kind === 'tcp' ? `tcp:${a.host}:${a.port}` : `${a.kind}:${a.path}`;
}

/** The C host link call (sd_link.h) that opens the link. */
export function cConnect(a: LinkAddress): string {
  if (a.kind === 'tcp') return `sd_link_open_tcp(&link, ${json(a.host)}, ${a.port});`;
  return a.kind === 'serial' ? `sd_link_open_serial(&link, ${json(a.path)});` : `sd_link_open_unix(&link, ${json(a.path)});`;
}

/** The TypeScript SDK's opening line (inside an async function or an ES module). */
export function tsConnect(a: LinkAddress): string {
  const transport =
    a.kind === 'tcp'
      ? `socketTransport(${json(`${a.host}:${a.port}`)})`
      : a.kind === 'serial'
        ? `serialTransport(${json(a.path)})`
        : `socketTransport(${json(a.path)})`;
  return `const { device } = await openDevice(await ${transport});`;
}

/** The Python SDK's opening line. */
export function pyConnect(a: LinkAddress): string {
  const transport =
    a.kind === 'tcp'
      ? `SocketTransport((${json(a.host)}, ${a.port}))`
      : a.kind === 'serial'
        ? `SerialTransport(${json(a.path)})`
        : `SocketTransport(${json(a.path)})`;
  return `device = open_device(${transport})`;
}

/** All three, labelled, as `sim` prints them. */
export function connectLines(a: LinkAddress): string[] {
  return [`  C:          ${cConnect(a)}`, `  TypeScript: ${tsConnect(a)}`, `  Python:     ${pyConnect(a)}`, `  op runner:  ${formatLinkAddress(a)}`];
}
