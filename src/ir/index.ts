export type * from './types.ts';
export { bitMask, ones, andMask, orBits, extractBits, placeBits, bitLength, hex } from './bits.ts';
export {
  walkDevice,
  walkDeviceWithAll,
  placedRegisters,
  registerInstances,
  findByPath,
  countNodes,
  type IrListener,
  type PlacedRegister,
  type RegisterInstance,
} from './walk.ts';
export { canonicalJson, sortDevice, stableStringify, specHash, type CanonicalOptions } from './canonical.ts';
export { isIdentifier, identifierProblem } from './names.ts';
