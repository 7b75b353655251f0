#!/usr/bin/env python3
"""Disguise audit: every unweighted row of tests/data/cases.tsv under random invertible
coordinate changes fixing the origin (a permutation, a random unimodular upper-triangular
linear map, one quadratic triangular shift) and, for ideals, a generator mix
f_a += c·w·f_b. Runs the release binary and prints, per case, how many disguises came out
exact (and equal to the reference), bounds, or WRONG. Needs python3 with sympy.

Usage: bench/disguise_audit.py [SEED] [DISGUISES_PER_CASE] [TIMEOUT_SECS]
Environment: RLCT=path/to/binary (default target/release/rlct); AUDIT_SHOW_BOUNDS=1 prints
every disguise that ended in bounds (to stderr).
"""
import csv, json, os, random, subprocess, sys, time
import sympy as sp

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
per_case = int(sys.argv[2]) if len(sys.argv) > 2 else 3
timeout = sys.argv[3] if len(sys.argv) > 3 else "10"
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rlct = os.environ.get("RLCT") or os.path.join(root, "target", "release", "rlct")
random.seed(seed)
rows = list(csv.DictReader(open(os.path.join(root, "tests", "data", "cases.tsv")), delimiter="\t"))
print(f"seed {seed}, {per_case} disguises per case, --timeout {timeout}")
print(f"{'case':28} {'exact':>5} {'bounds':>6} {'WRONG':>5} {'max s':>7}")
totals = [0, 0, 0]
for r in rows:
    if r["weight"] != "-":
        continue
    exprs = [sp.sympify(e.replace("^", "**")) for e in r["input"].split(",")]
    vs = sorted(set().union(*[e.free_symbols for e in exprs]), key=str)
    n = len(vs)
    counts, worst = [0, 0, 0], 0.0
    for _ in range(per_case):
        perm = vs[:]
        random.shuffle(perm)
        img = {}
        for i, v in enumerate(vs):
            e = perm[i]
            for j in range(i + 1, n):
                if random.random() < 0.5:
                    e += random.randint(-2, 2) * perm[j]
            img[v] = e
        if n >= 2:
            i = random.randrange(n)
            others = [w for w in vs if w != vs[i]]
            a, b = random.choice(others), random.choice(others)
            img[vs[i]] = img[vs[i]] + random.choice([-1, 1, 2]) * a * b
        new = [sp.expand(e.subs(img, simultaneous=True)) for e in exprs]
        if r["kind"] == "ideal" and len(new) >= 2:
            a, b = random.sample(range(len(new)), 2)
            new[a] = sp.expand(new[a] + random.choice([-1, 1, 3]) * random.choice(vs) * new[b])
        text = ", ".join(str(e).replace("**", "^") for e in new)
        flag = "--ideal" if r["kind"] == "ideal" else "--poly"
        t = time.time()
        p = subprocess.run([rlct, "exact", flag, text, "--json", "--timeout", timeout],
                           capture_output=True, text=True)
        worst = max(worst, time.time() - t)
        j = json.loads(p.stdout)
        if j["status"] == "exact":
            ok = j["lambda"] == r["lambda"] and j["multiplicity"] == int(r["m"])
            counts[0 if ok else 2] += 1
            if not ok:
                print(f"WRONG {r['id']}: {j['lambda']}, {j['multiplicity']} for {text}")
        else:
            counts[1] += 1
            if os.environ.get("AUDIT_SHOW_BOUNDS"):
                print(f"  bounds {r['id']}: {flag} '{text}'", file=sys.stderr)
    totals = [x + y for x, y in zip(totals, counts)]
    print(f"{r['id']:28} {counts[0]:5} {counts[1]:6} {counts[2]:5} {worst:7.2f}")
print(f"{'total':28} {totals[0]:5} {totals[1]:6} {totals[2]:5}")
