"""Issue 15's hostile-input cases, each through `python main.py` as a user would run it: prints per case
the exit code, stderr lines, traceback, files left behind and time (takes a few minutes; not a test).

    python benchmarks/bench_reliability.py [REPO] [NAME_FILTER]

On the commit before issue 15's work: 3 of 35 cases gave one line, the expected exit code and
nothing left behind; after it: 35 of 35.
"""
import os, signal, subprocess, sys, time, json, shutil, zipfile, io
from pathlib import Path
import tempfile
REPO = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]).resolve()
FILT = sys.argv[2] if len(sys.argv) > 2 else ""
W = Path(tempfile.mkdtemp(prefix="iss-reliability-"))
BASE = '''title = "t"
[time]
epoch_utc = "2022-03-05T12:00:00Z"
duration_s = 300.0
output_interval_s = 10.0
[orbit]
circular_altitude_km = 400.0
[[body]]
name = "A"
mass_kg = 20000.0
box_m = [10.0, 4.0, 4.0]
[[body]]
name = "B"
mass_kg = 60000.0
box_m = [20.0, 4.0, 4.0]
[[latch]]
name = "ring"
body_a = "A"
body_b = "B"
port_a_body_m = [5.0, 0.0, 0.0]
port_b_body_m = [-10.0, 0.0, 0.0]
[release]
latch = "ring"
time_s = 10.0
[release.pushers]
count = 4
[[burn]]
body = "A"
start_s = 100.0
duration_s = 10.0
thrust_n = 100.0
direction_body = [1.0, 0.0, 0.0]
[forces]
drag = "none"
'''
def sc(repl=None, extra=""):
    t = BASE
    for a, b in (repl or {}).items():
        assert a in t, a
        t = t.replace(a, b)
    return t + extra
LT = '''title = "lt"
[time]
epoch_utc = "2022-03-05T12:00:00Z"
duration_s = 60.0
[orbit]
tle_file = "iss_2022"
[station]
[release]
[long_term]
start = "docked"
duration_days = 10.0
compare_without_reboosts = false
drag_calibration = false
[long_term.body.ISS]
cd = CD
area_m2 = AREA
'''
CASES = []
def case(name, args, toml=None, files=None, timeout=60, stdin=None, signal_after=None, expect_rc=2):
    CASES.append(dict(name=name, args=args, toml=toml, files=files or {}, timeout=timeout, signal_after=signal_after, expect_rc=expect_rc))

# scenario values
for key, val in [("duration_s = 300.0", "duration_s = 1e300"), ("output_interval_s = 10.0", "output_interval_s = 1e-300"),
                 ("output_interval_s = 10.0", "output_interval_s = 2.5e-5"),
                 ("thrust_n = 100.0", "thrust_n = 1e20"), ("mass_kg = 20000.0", "mass_kg = 1e-300"),
                 ("count = 4", "count = 4\npreload_n = 1e300"), ]:
    case(f"scenario {val}", ["simulate", "S.toml", "--quiet"], sc({key: val}), timeout=60)
case("isp_s = 1e-300", ["simulate", "S.toml", "--quiet"], sc({"direction_body = [1.0, 0.0, 0.0]": "direction_body = [1.0, 0.0, 0.0]\nisp_s = 1e-300"}))
case("max_step_s = 1e-9", ["simulate", "S.toml", "--quiet"], sc({"output_interval_s = 10.0": "output_interval_s = 10.0\nmax_step_s = 1e-9"}))
case("omega 1e6", ["simulate", "S.toml", "--quiet"], sc({"box_m = [10.0, 4.0, 4.0]": "box_m = [10.0, 4.0, 4.0]\nomega_body_radps = [1e6, 0.0, 0.0]"}))
case("position 1e300", ["simulate", "S.toml", "--quiet"], sc({"[orbit]\ncircular_altitude_km = 400.0": "[orbit]\nr_gcrs_m = [1e300, 0.0, 0.0]\nv_gcrs_mps = [0.0, 7000.0, 0.0]"}))
case("title with newline", ["simulate", "S.toml", "--quiet"], sc({'title = "t"': 'title = "t"\nbogus = "a\\nb"'}))
case("latch name newline", ["simulate", "S.toml", "--quiet"], sc({'latch = "ring"': 'latch = "ri\\nng"'}))
case("epoch NUL", ["simulate", "S.toml", "--quiet"], sc({'epoch_utc = "2022-03-05T12:00:00Z"': 'epoch_utc = "2022-03-05T12:00:00Z\\u0000"'}))
case("TOML nested 1000", ["simulate", "S.toml", "--quiet"], "x = " + "[" * 1000 + "]" * 1000 + "\n")
case("station.file /dev/zero", ["simulate", "S.toml", "--quiet"], '[time]\nepoch_utc = "2022-03-05T12:00:00Z"\nduration_s = 60.0\n[orbit]\ncircular_altitude_km = 400.0\n[station]\nfile = "/dev/zero"\n', timeout=40)
case("station.file FIFO", ["simulate", "S.toml", "--quiet"], '[time]\nepoch_utc = "2022-03-05T12:00:00Z"\nduration_s = 60.0\n[orbit]\ncircular_altitude_km = 400.0\n[station]\nfile = "fifo"\n', files={"fifo": "FIFO"}, timeout=40)
case("station.file NUL", ["simulate", "S.toml", "--quiet"], '[time]\nepoch_utc = "2022-03-05T12:00:00Z"\nduration_s = 60.0\n[orbit]\ncircular_altitude_km = 400.0\n[station]\nfile = "a\\u0000b"\n', timeout=40)
case("scenario is FIFO", ["simulate", "fifo.toml", "--quiet"], None, files={"fifo.toml": "FIFO"}, timeout=20)
case("long-run cd 1e300", ["simulate", "S.toml", "--quiet"], LT.replace("CD", "1e300").replace("AREA", "1000.0"), timeout=120)
case("long-run area 1e300", ["simulate", "S.toml", "--quiet"], LT.replace("CD", "2.2").replace("AREA", "1e300"), timeout=120)
case("many bodies", ["simulate", "S.toml", "--quiet"], sc() + "".join(f'[[body]]\nname = "b{i}"\nmass_kg = 10.0\nbox_m = [1.0, 1.0, 1.0]\nrelative_to = "A"\nr_lvlh_m = [{i+100}.0, 0.0, 0.0]\n' for i in range(100000)), timeout=60)
# CLI / outputs
case("simulate --out ''", ["simulate", "S.toml", "--quiet", "--out", ""], sc())
case("simulate > /dev/full", ["simulate", "S.toml", "--quiet", ">/dev/full"], sc())
case("station --joint nan", ["station", "--joint", "sarj_stbd=nan"], None)
case("export-model --joint nan", ["export-model", "--joint", "sarj_stbd=nan", "--out", "m.glb"], None, timeout=120)
case("csv clash name", ["simulate", "S.toml", "--quiet", "--out", "o.npz", "--csv", "c"], sc({'name = "A"': 'name = "events"', 'body_a = "A"': 'body_a = "events"', 'body = "A"': 'body = "events"'}))
case("screenshot to /proc", ["screenshot", "S.toml", "--out", "/proc/x.png", "--size", "64x64"], sc(), timeout=120)
case("screenshot bad --time", ["screenshot", "S.toml", "--time", "soon", "--out", "x.png", "--size", "64x64"], sc(), timeout=120)
case("record timemap 1e-7x", ["record", "S.toml", "--out", "v.mp4", "--timemap", "0.0000001x", "--size", "64x64"], sc(), timeout=120)
case("record --stills /proc", ["record", "S.toml", "--out", "v.mp4", "--stills", "/proc/st", "--size", "64x64"], sc(), timeout=120)
case("plot NaN trajectory", ["plot", "nan.npz", "--out", "p"], None, files={"nan.npz": "NANTRAJ"}, timeout=120)
case("screenshot --npz NaN q", ["screenshot", "S.toml", "--npz", "nan.npz", "--out", "x.png", "--size", "64x64"], sc(), files={"nan.npz": "ZEROQ"}, timeout=120)
case("zip bomb npz", ["plot", "bomb.npz", "--out", "p"], None, files={"bomb.npz": "BOMB"}, timeout=60)
case("SIGTERM mid-run", ["simulate", "S.toml", "--quiet", "--out", "o.npz"], sc({"duration_s = 300.0": "duration_s = 20000.0", "output_interval_s = 10.0": "output_interval_s = 1.0"}), signal_after=(signal.SIGTERM, 4.0), expect_rc=143)
case("SIGHUP mid-run", ["simulate", "S.toml", "--quiet", "--out", "o.npz"], sc({"duration_s = 300.0": "duration_s = 20000.0", "output_interval_s = 10.0": "output_interval_s = 1.0"}), signal_after=(signal.SIGHUP, 4.0), expect_rc=129)

def make_files(d, files):
    import numpy as np
    for name, kind in files.items():
        p = d / name
        if kind == "FIFO":
            os.mkfifo(p)
        elif kind == "BOMB":
            buf = io.BytesIO()
            with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
                with zf.open("t_s.npy", "w", force_zip64=True) as fh:
                    hdr = b"\x93NUMPY\x01\x00" + b"v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000,), }".ljust(118) + b"\n"
                    fh.write(hdr[:128])
                    z = b"\0" * (1 << 20)
                    for _ in range(500): fh.write(z)
        elif kind in ("NANTRAJ", "ZEROQ"):
            sys.path.insert(0, str(REPO))
            code = f'''
import sys; sys.path.insert(0, {str(REPO)!r})
import numpy as np, scenario
from dataclasses import replace
sc = scenario.load("separation-conservation")
t = scenario.run(sc)
r = t.r_gcrs_m.copy(); q = t.q_gcrs_from_body.copy()
if {kind!r} == "NANTRAJ": r[5, 0, 0] = np.nan
else: q[:] = 0.0
replace(t, r_gcrs_m=r, q_gcrs_from_body=q).save_npz({str(p)!r})
'''
            subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)

res = []
for c in CASES:
    if FILT and FILT not in c["name"]:
        continue
    d = W / c["name"].replace(" ", "_").replace("/", "_")[:40]
    shutil.rmtree(d, ignore_errors=True); d.mkdir(parents=True)
    if c["toml"] is not None:
        (d / "S.toml").write_text(c["toml"])
    make_files(d, c["files"])
    before = set(os.listdir(d))
    args = list(c["args"]); stdout = subprocess.PIPE
    if ">/dev/full" in args:
        args.remove(">/dev/full"); stdout = open("/dev/full", "w")
    t0 = time.time()
    p = subprocess.Popen([sys.executable, str(REPO / "main.py")] + args, cwd=d, stdout=stdout, stderr=subprocess.PIPE, text=True, start_new_session=True)
    hang = False
    try:
        if c["signal_after"]:
            time.sleep(c["signal_after"][1]); p.send_signal(c["signal_after"][0])
        out, err = p.communicate(timeout=c["timeout"])
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL); out, err = p.communicate(); hang = True
    dt = time.time() - t0
    left = sorted(set(os.listdir(d)) - before)
    lines = [l for l in err.splitlines() if l.strip() and not l.startswith("\r")]
    tb = "Traceback" in err
    ok = (not hang and p.returncode == c["expect_rc"] and len(err.strip().splitlines()) == 1 and not tb and not left)
    res.append(ok)
    print(f"{'OK  ' if ok else 'FAIL'} {c['name']:<28} rc={'HANG' if hang else p.returncode} {dt:5.1f}s lines={len(err.strip().splitlines())} tb={tb} left={left[:3]} | {err.strip().splitlines()[-1][:150] if err.strip() else ''}", flush=True)
print(f"{sum(res)}/{len(res)} cases: one line, expected exit code, nothing left behind")
