/** Where an operation works (`PERIPH.CLUSTER.REG.FIELD`), for messages and svdtools' `\`peripheral\``-style placeholders. */
export interface BlockPath {
  readonly peripheral: string;
  readonly clusters: readonly string[];
  readonly register?: string;
  readonly field?: string;
}

export function blockPathText(path: BlockPath): string {
  return [path.peripheral, ...path.clusters].join('.');
}

export function pathText(path: BlockPath): string {
  return [blockPathText(path), ...(path.register !== undefined ? [path.register] : []), ...(path.field !== undefined ? [path.field] : [])].join('.');
}

/** Replaces `` `peripheral` ``, `` `block_path` ``, `` `register` ``, `` `register_path` ``, `` `field` ``, `` `field_path` `` in a description or derivedFrom. */
export function interpolate(text: string, path: BlockPath): string {
  if (!text.includes('`')) return text;
  const registerPath = path.register !== undefined ? `${blockPathText(path)}.${path.register}` : undefined;
  return text
    .replaceAll('`peripheral`', path.peripheral)
    .replaceAll('`block_path`', blockPathText(path))
    .replaceAll('`register_path`', registerPath ?? '`register_path`')
    .replaceAll('`register`', path.register ?? '`register`')
    .replaceAll('`field_path`', registerPath !== undefined && path.field !== undefined ? `${registerPath}.${path.field}` : '`field_path`')
    .replaceAll('`field`', path.field ?? '`field`');
}
