"""
Before/after of whole commands in one run: this checkout against another (BASE=path, built with
`npm run build`), interleaved, medians of N runs, wall and CPU time (user+sys, which moves less
with the load of a shared machine) and peak RSS from GNU time, with the load average.

    BASE=/tmp/base python3 test/bench/ab-measure.py 11 startup   # --help and validate of a small spec
    BASE=/tmp/base N657=/tmp/N657.svd python3 test/bench/ab-measure.py 5 n657   # gunzip ../shared/data/svd/STM32N657.svd.gz
    BASE=/tmp/base H743=/tmp/H743.svd python3 test/bench/ab-measure.py 7 gen-h743   # generate --target c, and svd2rust
    BASE=/tmp/base N657=/tmp/N657.svd python3 test/bench/ab-measure.py 3 gen-n657
"""
import subprocess, statistics as st, sys, os, time, shutil
N = int(sys.argv[1]); cases = sys.argv[2]
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
NEW = ROOT
BASE = os.environ['BASE']  # a built checkout of the commit to compare with
demo = NEW + '/hardware-specs/demo-board/rev-a.yaml'
sides = {
 'startup': [('node -e 0', ['node','-e','0']), ('base --help', ['node', BASE+'/bin/specdrive.js','--help']), ('new --help', ['node', NEW+'/bin/specdrive.js','--help']),
             ('base validate small', ['node', BASE+'/bin/specdrive.js','validate',demo]), ('new validate small', ['node', NEW+'/bin/specdrive.js','validate',demo])],
 'n657': [('svdtools convert --expand', [os.path.expanduser('~/.cargo/bin/svdtools'),'convert','--expand','--output-format','json',os.environ.get('N657', '/tmp/N657.svd'),'/tmp/n657.json']),
          ('base validate N657', ['node', BASE+'/bin/specdrive.js','validate',os.environ.get('N657', '/tmp/N657.svd')]), ('new validate N657', ['node', NEW+'/bin/specdrive.js','validate',os.environ.get('N657', '/tmp/N657.svd')])],
 'h743': [('svdtools convert --expand', [os.path.expanduser('~/.cargo/bin/svdtools'),'convert','--expand','--output-format','json',os.environ.get('H743', '/tmp/H743.svd'),'/tmp/h743.json']),
          ('base validate H743', ['node', BASE+'/bin/specdrive.js','validate',os.environ.get('H743', '/tmp/H743.svd')]), ('new validate H743', ['node', NEW+'/bin/specdrive.js','validate',os.environ.get('H743', '/tmp/H743.svd')])],
}
def generate_sides(chip, spec):
  # Each side writes into its own folder, emptied before every run (not timed), as command-bench.ts does.
  out = lambda side: f'/tmp/ab-{chip}-{side}'
  return [('svd2rust --target cortex-m', [os.path.expanduser('~/.cargo/bin/svd2rust'),'--target','cortex-m','-i',spec,'-o',out('rs')], out('rs')),
          (f'base generate c {chip}', ['node', BASE+'/bin/specdrive.js','generate',spec,'--target','c','-o',out('base'),'--quiet'], out('base')),
          (f'new generate c {chip}', ['node', NEW+'/bin/specdrive.js','generate',spec,'--target','c','-o',out('new'),'--quiet'], out('new'))]
sides['gen-h743'] = generate_sides('H743', os.environ.get('H743', '/tmp/H743.svd'))
sides['gen-n657'] = generate_sides('N657', os.environ.get('N657', '/tmp/N657.svd'))
sides = sides[cases]
res = {side[0]: [] for side in sides}
load0 = os.getloadavg()
for run in range(-1, N):
  for name, argv, *out in sides:
    for folder in out:
      shutil.rmtree(folder, ignore_errors=True)
      os.makedirs(folder)
    r = subprocess.run(['/usr/bin/time','-f','%e %U %S %M'] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0,1): print('FAIL', name, r.stderr[-300:]); sys.exit(1)
    e,u,s,m = map(float, r.stderr.strip().split('\n')[-1].split())
    if run >= 0: res[name].append((e*1000,(u+s)*1000,m/1024))
load1 = os.getloadavg()
print(f'load average {load0[0]:.1f} → {load1[0]:.1f}, {os.cpu_count()} cores, {N} interleaved runs, medians')
ref = st.median(x[0] for x in res[sides[0][0]]); refc = st.median(x[1] for x in res[sides[0][0]])
for name, *_ in sides:
  w = st.median(x[0] for x in res[name]); c = st.median(x[1] for x in res[name]); m = st.median(x[2] for x in res[name])
  print(f'{name:28s} wall {w:7.0f} ms ({w/ref:4.2f}x)  cpu {c:7.0f} ms ({c/refc:4.2f}x)  peak {m:5.0f} MB')
