#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make mutants: how many one-token changes of a folder's C files would
make test notice?

  mutants.py [--dir 'vfio/core vfio/iommu'] [--count 40] [--seed N] [--list]
             [--at FILE:LINE ...] [--shard K/N]

Every place in the folder's .c and .h files where one token can be swapped
for a near one is a candidate: && and ||, == and !=, < and <=, > and >=,
+ and -, true and false, 0 and 1, and "return -EXXX;" for "return 0;".
Comments, strings and preprocessor
lines are left alone. A seeded sample of --count candidates is tried one at
a time: the file is changed, `scripts/run_kunit.sh` (make test) runs, the
file is put back. A mutant is killed when make test fails (a failed case, a
crash, a hang past the time limit), survives when it passes, and is left
out of the score when it does not build. The score and every survivor
(file:line, the change, the line) are printed; the exit status is 0.
--at tries every candidate on the lines named instead of a sample.
--shard K/N tries only the sample's mutants K, K+N, K+2N, ... (K from 0):
N clones of the repository, each with its own build folder, run one
sample N times faster on N cores; their scores add up.
"""
import argparse
import os
import random
import re
import signal
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# make test takes about 15 s here; a mutant that hangs is cut off after this.
TIMEOUT = 240

# (pattern, replacement): one token each. Binary operators stand between
# spaces in kernel style, which keeps ->, <<, ++, -1 and the like out.
SWAPS = [
    (r'&&', '||'),
    (r'\|\|', '&&'),
    (r'(?<= )==(?= )', '!='),
    (r'(?<= )!=(?= )', '=='),
    (r'(?<= )<(?= )', '<='),
    (r'(?<= )<=(?= )', '<'),
    (r'(?<= )>(?= )', '>='),
    (r'(?<= )>=(?= )', '>'),
    (r'(?<= )\+(?= )', '-'),
    (r'(?<= )-(?= )', '+'),
    (r'\btrue\b', 'false'),
    (r'\bfalse\b', 'true'),
    (r'(?<![\w.])0(?![\w.])', '1'),
    (r'(?<![\w.])1(?![\w.])', '0'),
]
RETURN_ERR = re.compile(r'return -E[A-Z0-9]+;')


def mask(text):
    """The text with comments, strings and character literals blanked
    (same length, newlines kept) and preprocessor lines blanked."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
        elif text[i] in '"\'':
            q, j = text[i], i + 1
            while j < n and text[j] != q:
                j += 2 if text[j] == '\\' else 1
            j += 1
        else:
            i += 1
            continue
        for k in range(i, min(j, n)):
            if out[k] != '\n':
                out[k] = ' '
        i = j
    lines = ''.join(out).split('\n')
    cont = False
    for k, line in enumerate(lines):
        pre = cont or line.lstrip().startswith('#')
        cont = pre and line.rstrip().endswith('\\')
        if pre:
            lines[k] = ' ' * len(line)
    return '\n'.join(lines)


def candidates(path):
    text = open(path).read()
    masked = mask(text)
    found = []
    for pat, rep in SWAPS:
        for m in re.finditer(pat, masked):
            found.append((m.start(), m.end(), rep))
    for m in RETURN_ERR.finditer(masked):
        found.append((m.start(), m.end(), 'return 0;'))
    return text, sorted(found)


def describe(text, start, end, rep):
    line = text.count('\n', 0, start) + 1
    bol = text.rfind('\n', 0, start) + 1
    eol = text.find('\n', start)
    return line, text[start:end], rep, text[bol:eol].strip()


def line_of(m):
    rel, start = m[0], m[1]
    return open(os.path.join(REPO, rel)).read().count('\n', 0, start) + 1


def kill_uml(binary):
    """SIGKILL every process running @binary (a UML kernel)."""
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                argv0 = f.read().split(b'\0')[0].decode(errors='replace')
            if argv0 == binary:
                os.kill(int(pid), signal.SIGKILL)
        except (OSError, ValueError):
            pass


def run_tests(log):
    with open(log, 'w') as f:
        p = subprocess.Popen([os.path.join(REPO, 'scripts/run_kunit.sh')],
                             stdout=f, stderr=subprocess.STDOUT,
                             start_new_session=True)
        try:
            return p.wait(timeout=TIMEOUT), False
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            # The UML kernel's processes leave the group: left alone,
            # a hung one spins on and slows every later mutant.
            kill_uml(os.path.join(REPO, 'build', 'test', 'linux'))
            return 1, True


def built(log):
    text = open(log, errors='replace').read()
    return 'Starting KUnit Kernel' in text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--dir', default='vfio/sim')
    ap.add_argument('--count', type=int, default=40)
    ap.add_argument('--seed', type=int)
    ap.add_argument('--list', action='store_true',
                    help='print the sample and stop')
    ap.add_argument('--at', action='append', default=[],
                    metavar='FILE:LINE', help='every candidate on a line')
    ap.add_argument('--shard', default='0/1', metavar='K/N',
                    help='every Nth mutant of the sample, from the Kth')
    a = ap.parse_args()
    shard, nshards = (int(x) for x in a.shard.split('/'))
    if not 0 <= shard < nshards:
        sys.exit(f'mutants: bad --shard {a.shard}')

    seed = a.seed if a.seed is not None else random.randrange(1 << 16)
    # Several folders, separated by spaces or commas, sample as one pool.
    dirs = a.dir.replace(',', ' ').split()
    files = subprocess.run(['git', 'ls-files', '--'] +
                           [d.rstrip('/') + '/*.[ch]' for d in dirs],
                           cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.split()
    pool = []
    for rel in files:
        text, found = candidates(os.path.join(REPO, rel))
        pool += [(rel, s, e, r) for s, e, r in found]
    if not pool:
        sys.exit(f'mutants: no candidates in {a.dir}')
    if a.at:
        at = {(f, int(n)) for f, n in (x.rsplit(':', 1) for x in a.at)}
        sample = [m for m in pool if (m[0], line_of(m)) in at]
    else:
        sample = random.Random(seed).sample(pool, min(a.count, len(pool)))
    print(f'mutants: {len(sample)} of {len(pool)} candidates in {a.dir}, '
          f'seed {seed}', flush=True)
    if nshards > 1:
        sample = sample[shard::nshards]
        print(f'mutants: shard {a.shard}, {len(sample)} of them', flush=True)

    logdir = os.path.join(REPO, 'build', 'mutants')
    os.makedirs(logdir, exist_ok=True)
    killed, survived, broken = [], [], []
    for n, (rel, s, e, rep) in enumerate(sample, 1):
        path = os.path.join(REPO, rel)
        orig = open(path).read()
        line, old, new, src = describe(orig, s, e, rep)
        what = f'{rel}:{line} `{old}` -> `{new}`: {src}'
        if a.list:
            print(f'  {what}')
            continue
        log = os.path.join(logdir, f'{n:03d}.log')
        t0 = time.time()
        try:
            with open(path, 'w') as f:
                f.write(orig[:s] + rep + orig[e:])
            rc, hung = run_tests(log)
        finally:
            with open(path, 'w') as f:
                f.write(orig)
        if rc == 0:
            verdict = 'SURVIVED'
            survived.append(what)
        elif not built(log):
            verdict = 'does not build'
            broken.append(what)
        else:
            verdict = 'killed (hang)' if hung else 'killed'
            killed.append(what)
        print(f'[{n}/{len(sample)}] {verdict:14} {time.time() - t0:4.0f}s '
              f'{what}', flush=True)
    if a.list:
        return
    scored = len(killed) + len(survived)
    pct = 100.0 * len(killed) / scored if scored else 0.0
    print(f'\nmutants: {len(killed)} killed, {len(survived)} survived, '
          f'{len(broken)} did not build (left out); score {len(killed)}/'
          f'{scored} = {pct:.0f}% (seed {seed})')
    for what in survived:
        print(f'  survived: {what}')
    print('mutants: restoring the build with the unchanged sources',
          flush=True)
    run_tests(os.path.join(logdir, 'restore.log'))


if __name__ == '__main__':
    main()
