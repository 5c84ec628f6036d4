#!/usr/bin/env bash
# Hand check of issue 14 §4 on real Nordic SVDs (nRF52840, nRF5340, nRF9160, nRF54L15):
#   validate (no errors), generate every target (no errors), then the C with gcc and clang
#   -Wall -Wextra -Werror -pedantic (layout self-test built and run, every .c compiled), the TS with tsc,
#   the Python with py_compile.
# Usage: test/oracle/nordic-generate-check.sh FILE.svd[.gz]...   (nRF5340/nRF9160 come from
#   NordicSemiconductor/nrfx bsp/stable/mdk/, not in ../shared/data; CI uses test/fixtures/svd-nordic/ instead).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
for svd in "$@"; do
  out=$(mktemp -d)
  echo "== $svd"
  node "$root/bin/specdrive.js" validate "$svd" --format json > "$out/validate.json" || { echo "validate: errors"; exit 1; }
  node "$root/bin/specdrive.js" generate "$svd" --target all -o "$out/gen" --format json > "$out/generate.json" || { echo "generate: errors"; python3 -c "import json,sys; [print(d['code'], d['message']) for d in json.load(open(sys.argv[1])) if d['severity']=='error']" "$out/generate.json" | head; exit 1; }
  for cc in gcc clang; do
    (cd "$out/gen/c" && for f in src/*.c test/*.c; do $cc -std=c11 -Wall -Wextra -Werror -pedantic -Iinclude -c "$f" -o /dev/null; done
     $cc -std=c11 -Wall -Wextra -Werror -pedantic -Iinclude test/layout_selftest.c -o st && ./st | tail -1)
  done
  ln -s "$root/node_modules" "$out/gen/ts/node_modules"
  (cd "$out/gen/ts" && "$root/node_modules/.bin/tsc" -p tsconfig.json --noEmit && echo "tsc: ok")
  python3 -m compileall -q "$out/gen/python" && echo "python: ok"
  rm -rf "$out"
done
