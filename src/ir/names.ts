/** Names in the IR must be identifiers so that every generator can turn them into code safely. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Why a name is not an identifier, or undefined if it is one. */
export function identifierProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > 128) return 'the name is longer than 128 characters';
  if (/^[0-9]/.test(name)) return 'the name starts with a digit';
  const bad = [...name].find((c) => !/[A-Za-z0-9_]/.test(c));
  if (bad !== undefined) return `the name contains ${JSON.stringify(bad)}`;
  return undefined;
}
