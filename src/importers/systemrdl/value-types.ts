import type { PropType } from './properties.ts';
import type { StructType, Value } from './values.ts';

/** Whether a value has a declared type (parameters, user-defined properties), and how types are named in messages. */

export function paramTypeMatches(type: string, array: boolean, v: Value): boolean {
  if (array) return v.t === 'array' && v.items.every((i) => paramTypeMatches(type, false, i));
  switch (type) {
    case 'longint':
    case 'bit':
      return v.t === 'int' || v.t === 'bool' || v.t === 'enumValue';
    case 'boolean':
      return v.t === 'bool' || v.t === 'int';
    case 'string':
      return v.t === 'string';
    case 'accesstype':
      return v.t === 'access';
    case 'onreadtype':
      return v.t === 'onread';
    case 'onwritetype':
      return v.t === 'onwrite';
    case 'addressingtype':
      return v.t === 'addressing';
    case 'precedencetype':
      return v.t === 'precedence';
    default:
      // User enum or struct types.
      return v.t === 'enumValue' ? v.def.name === type : v.t === 'struct' ? v.type.name === type : true;
  }
}

/** A user-defined property's value against its declared type: built-in types as parameters, user types exactly. */
export function udpValueMatches(type: string, array: boolean, v: Value): boolean {
  if (array) return v.t === 'array' && v.items.every((i) => udpValueMatches(type, false, i));
  if (v.t === 'struct') return structIs(v.type, type);
  if (v.t === 'enumValue') return v.def.name === type;
  return BUILTIN_VALUE_TYPES.has(type) && paramTypeMatches(type, false, v);
}
export function structIs(t: StructType | undefined, name: string): boolean {
  for (; t; t = t.base) if (t.name === name) return true;
  return false;
}
const BUILTIN_VALUE_TYPES = new Set(['longint', 'bit', 'boolean', 'string', 'accesstype', 'onreadtype', 'onwritetype', 'addressingtype', 'precedencetype']);

export function typeLabel(t: PropType): string {
  switch (t) {
    case 'declared':
      return 'a value of its declared type';
    case 'bool':
      return 'a boolean';
    case 'int':
      return 'a number';
    case 'string':
      return 'a string';
    case 'ref':
      return 'a reference';
    case 'enumType':
      return 'an enum type';
    case 'stringArray':
      return 'an array of strings';
    default:
      return `${t === 'access' || t === 'onread' || t === 'onwrite' || t === 'addressing' ? 'an' : 'a'} ${t} value`;
  }
}
