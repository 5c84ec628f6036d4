import type { ValidationRule } from '../rule.ts';
import { arrayStrideRule } from './array-stride.ts';
import { counterLimitsRule } from './counter-limits.ts';
import { duplicateNamesRule } from './duplicate-names.ts';
import { enumValuesRule } from './enum-values.ts';
import { fieldOutsideRegisterRule } from './field-outside-register.ts';
import { fieldOverlapRule } from './field-overlap.ts';
import { identifierNamesRule } from './identifier-names.ts';
import { interruptReferencesRule } from './interrupt-references.ts';
import { peripheralOverlapRule } from './peripheral-overlap.ts';
import { quantityReferencesRule } from './quantity-references.ts';
import { registerAlignmentRule } from './register-alignment.ts';
import { registerOutsidePeripheralRule } from './register-outside-peripheral.ts';
import { registerOverlapRule } from './register-overlap.ts';
import { registerSizeRule } from './register-size.ts';
import { representableRule } from './representable.ts';
import { resetValuesRule } from './reset-values.ts';
import { sideEffectAccessRule } from './side-effect-access.ts';
import { singlePulseRule } from './singlepulse.ts';
import { writeConstraintsRule } from './write-constraints.ts';

/** Every validation rule, in the order they run. One rule per file in this folder. */
export const validationRules: readonly ValidationRule[] = [
  representableRule,
  identifierNamesRule,
  duplicateNamesRule,
  peripheralOverlapRule,
  registerOutsidePeripheralRule,
  registerOverlapRule,
  registerSizeRule,
  registerAlignmentRule,
  arrayStrideRule,
  fieldOutsideRegisterRule,
  fieldOverlapRule,
  resetValuesRule,
  enumValuesRule,
  sideEffectAccessRule,
  singlePulseRule,
  writeConstraintsRule,
  counterLimitsRule,
  interruptReferencesRule,
  quantityReferencesRule,
];
