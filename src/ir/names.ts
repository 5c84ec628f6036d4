/**
 * Names in the IR must be identifiers (`[A-Za-z_][A-Za-z0-9_]*`) so that every generator can turn
 * them into code safely. A loop, not a regular expression: validation asks for every name of a
 * device (≈200 000 on STM32N657).
 */
export function isIdentifier(name: string): boolean {
  const n = name.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    const letter = ((c | 32) >= 97 && (c | 32) <= 122) || c === 95;
    if (!letter && (i === 0 || c < 48 || c > 57)) return false;
  }
  return true;
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

/**
 * `name.toUpperCase()`, returning `name` itself when it is ASCII without a lower-case letter (most
 * register-map names): `toUpperCase` makes a new string every time, and validation compares every
 * name of a device case-insensitively (≈190 000 on STM32N657).
 */
export function upperCaseKey(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c > 127) return name.toUpperCase();
  }
  return name;
}
