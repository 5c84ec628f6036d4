import type { ValidationRule } from '../rule.ts';

/** Every validation rule, in the order they run. One rule per file in this folder. */
export const validationRules: readonly ValidationRule[] = [];
