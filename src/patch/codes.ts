/**
 * Every diagnostic code of the patch stage, with what it means. Each has a case in
 * test/errors/patch/cases/ and a row in docs/svd-patches.md. A failing operation stops the patch
 * (svdtools stops at its first error too), so one bad patch gives one error.
 */
export const PATCH_CODES: Readonly<Record<string, string>> = {
  'patch/bad-yaml': 'the patch (or an included file) is not valid YAML, or is not a mapping',
  'patch/bad-value': 'a key has a value of the wrong kind (a mapping where a name is needed, a missing _from, addressOffset or baseAddress...)',
  'patch/no-svd': 'the device patch has no usable _svd key',
  'patch/svd-not-found': 'the SVD named by _svd (or by a _copy from another file) does not exist',
  'patch/include-not-found': 'an _include names a file that does not exist',
  'patch/include-cycle': 'includes nest more than 32 files deep (a file including itself)',
  'patch/no-match': 'a peripheral, register, cluster or field spec matches nothing where svdtools requires a match',
  'patch/missing-field': 'a field spec (_modify, _split, _array, enumeration, range) matches no field of the register',
  'patch/already-exists': '_add of a peripheral, register, field or interrupt whose name exists',
  'patch/ambiguous': 'a spec that must match one element matches several (_split, single _cluster members, _derivedFrom)',
  'patch/bad-array': '_array: elements not evenly spaced, with different fields or descriptions, or a spec without one varying part',
  'patch/bad-cluster': '_cluster: member specs with different counts, indexes or strides, or a register beyond the stride',
  'patch/bad-enum': 'an enumeration entry is malformed: a name starting with a digit, no [value, description], a repeated value',
  'patch/enum-exists': 'a field already has enumerated values for that direction (use _replace_enum)',
  'patch/usage-mismatch': 'enumerated values for a direction the field cannot be accessed in (write values on a read-only field)',
  'patch/width-mismatch': 'one enumeration given to fields of different widths',
  'patch/unsupported': 'an operation svdtools 0.5.0 does not implement either (_copy or _derive of clusters)',
};
