"""The Playground in a real browser: epochs/s, picture updates/s and knob -> visible latency.

Measured as issue 20 measured the TensorFlow Playground, in headless Chromium (Debian's
/usr/bin/chromium through Playwright; no browser is ever downloaded) on the app served by
Voila (`voila app/playground.ipynb`, the README's command, on a free port of 127.0.0.1):
  - epochs/s: the epoch counter the page shows, read at the start and the end of a 20 s window
    while training;
  - picture updates/s: changes of the drawn output canvas, checked on every animation frame
    (a checksum of its pixels) over the same window;
  - knob -> visible: while training, the time from choosing another data set in the Data
    dropdown to the first drawn frame of the new network (its counter back near epoch 0),
    the median of several changes.
Two settings: the TF Playground's default (circle, noise 0, 50 % train, batch 10, x1 x2,
layers 4-2, tanh, lr 0.03: our DEFAULTS) and 6 hidden layers of 8 with all 7 features, each
opened from a link (the URL hash the app reads).

Usage: python benchmarks/bench_playground_browser.py [--seconds 20] [--repeats 2]
Not a test: timings depend on the machine and its load (print `uptime` beside them).
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking"]
SETTINGS = {
    "TF Playground default (circle, 4-2, x1 x2)": "",
    "6 layers of 8, all 7 features": "#hidden=8,8,8,8,8,8&features=x1,x2,x1^2,x2^2,x1*x2,"
                                     "sin_x1,sin_x2",
}

# In the page: count changes of the output canvas on every animation frame.
WATCH_JS = """() => {
  const c = document.querySelector('.pg-output');
  const ctx = c.getContext('2d');
  window.__pg = {changes: 0, frames: 0, last: -1, on: true};
  const tick = () => {
    if (!window.__pg.on) return;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let k = 0; k < d.length; k += 28) h = (h * 31 + d[k]) | 0;
    if (h !== window.__pg.last) { window.__pg.changes += 1; window.__pg.last = h; }
    window.__pg.frames += 1;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""

EPOCH_JS = "() => Number(document.querySelector('.pg-counter').dataset.epoch || 0)"

# In the page: time from a change of the Data dropdown to the first frame drawn after it whose
# epoch is below the one before the change (the new network).
LATENCY_JS = """async (value) => {
  const select = [...document.querySelectorAll('.widget-dropdown select')]
    .find((s) => [...s.options].some((o) => o.value === value || o.text === value));
  const counter = document.querySelector('.pg-counter');
  const before = Number(counter.dataset.epoch);
  const option = [...select.options].find((o) => o.value === value || o.text === value);
  const t0 = performance.now();
  select.value = option.value;
  select.dispatchEvent(new Event('change', {bubbles: true}));
  return await new Promise((resolve) => {
    const check = () => {
      const e = Number(counter.dataset.epoch);
      if (e < before && e < 50) resolve(performance.now() - t0);
      else if (performance.now() - t0 > 10000) resolve(NaN);
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_voila(notebook, work):
    port = free_port()
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "JUPYTER_CONFIG_DIR": str(work / "config"), "JUPYTER_RUNTIME_DIR": str(work / "rt")}
    cmd = [str(Path(sys.executable).parent / "voila"), str(notebook), "--no-browser",
           f"--port={port}", "--Voila.ip=127.0.0.1", "--preheat_kernel=True"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=open(work / "voila.log", "w"), start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, url
        except OSError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)
    raise RuntimeError("Voila did not start: " + (work / "voila.log").read_text()[-2000:])


def measure(page, url, seconds):
    page.goto(url, timeout=120_000)
    page.wait_for_selector(".pg-output", timeout=120_000)
    page.wait_for_function("() => document.querySelector('.pg-counter').dataset.epoch !== "
                           "undefined", timeout=60_000)
    tiles = page.locator(".pg-tile").count()  # the setting the link opened: 9 or 56 tiles
    page.click(".pg-play")
    page.wait_for_function(f"() => {EPOCH_JS[6:]} > 0", timeout=30_000)
    time.sleep(2.0)  # warm up
    page.evaluate(WATCH_JS)
    e0, t0 = page.evaluate(EPOCH_JS), time.perf_counter()
    time.sleep(seconds)
    e1, t1 = page.evaluate(EPOCH_JS), time.perf_counter()
    counts = page.evaluate("() => { window.__pg.on = false; return window.__pg; }")
    dt = t1 - t0
    lat = []
    for name in ("xor", "circle", "xor", "circle", "xor", "circle"):
        # well past 50: the new network (its counter below 50) cannot be mistaken for this one
        page.wait_for_function(f"() => {EPOCH_JS[6:]} >= 80", timeout=60_000)
        lat.append(page.evaluate(LATENCY_JS, name))
    page.click(".pg-play")
    return {"tiles": float(tiles), "epochs/s": (e1 - e0) / dt, "updates/s": counts["changes"] / dt,
            "animation frames/s": counts["frames"] / dt,
            "knob ms (median)": statistics.median(lat), "knob ms (all)": lat}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--notebook", default=str(ROOT / "app" / "playground.ipynb"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        proc, url = start_voila(args.notebook, work)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for name, hash_ in SETTINGS.items():
                    for r in range(args.repeats):
                        page = browser.new_page(viewport={"width": 1280, "height": 900})
                        res = measure(page, url + hash_, args.seconds)
                        page.close()
                        print(f"{name} [{r + 1}]: " + ", ".join(
                            f"{k} {v:.1f}" if isinstance(v, float) else
                            f"{k} {[round(x, 1) for x in v]}" for k, v in res.items()), flush=True)
                browser.close()
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
