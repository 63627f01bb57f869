"""A class on one Voilà server: N simulated learners open the Playground app, press Step a
few times, three of them press ▶, then everyone leaves. Run by hand (not in CI):

    .venv/bin/python benchmarks/load_test.py 30            # 30 learners arriving over 60 s
    .venv/bin/python benchmarks/load_test.py 1 10 30 --browsers 2 --markdown

The server is started with the instructor's command (`make serve LEARNERS=N`, which reads
voila.json: a pre-heated kernel per learner) bound to 127.0.0.1 on a free port, its Jupyter
folders in a temporary directory, and stopped at the end.
Most learners speak the protocol a page speaks (HTTP for the page, then the kernel's websocket:
the widgets' states, then the canvas widget's custom messages as canvas.js sends them: "hello"
when the view renders, the ▶ button's `running` state, "frame" requests, at most two in
flight, the next one sent as each frame arrives; and the Step button's click);
`--browsers K` of them are real pages in headless Debian Chromium (/usr/bin/chromium).
A learner leaves by closing its websocket (pages: by closing the tab, whose shutdown request
Voilà refuses, voila-dashboards/voila#1458): the server's culler must end its kernel.

Reported per N: time from arrival to the app (page, widget states, first frame; pages: the
first frame drawn) median / max; Step latency (click to the frame of the new epoch; pages: to
it drawn) median / p95 / max while three learners play; what the players got (frames/s and
epochs/s each); the server's memory (voila + kernels, RSS) idle / peak and CPU, the browsers'
separately; and the kernels alive and the server's memory each 15 s after everyone left, until
both are back at the idle level (or `--after` s).
"""

import argparse
import asyncio
import contextlib
import json
import os
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # browser_kit imports tools.numerics
import browser_kit as bk  # noqa: E402 - the tests' server and Chromium helpers

CHROMIUM = bk.CHROMIUM
ARRIVAL_WINDOW = 60.0  # s: every learner arrives within this
STEPS = 3              # Step presses per learner
PLAYERS = 3            # learners who press ▶ (and keep playing while the others step)
DEPTH = 2              # frame requests in flight at most (canvas.js's DEPTH)
APP_TIMEOUT = 180.0    # s: a learner who waits longer counts as "never saw the app"


# --- the server ------------------------------------------------------------------------------
@contextlib.contextmanager
def voila_server(folder, learners):
    """`make serve LEARNERS=learners` (the README's command for a class) on a free port of
    127.0.0.1; yields (url, process, log path)."""
    port = bk.free_port()
    url = f"http://127.0.0.1:{port}"
    args = ["make", "--no-print-directory", "serve", f"LEARNERS={learners}",
            f"VOILA_ARGS=--Voila.ip=127.0.0.1 --port={port}"]
    # ask for anything but the page: each request for the page takes a pre-heated kernel
    with bk.server(args, f"{url}/voila/static/ready", folder=folder, cwd=ROOT,
                   timeout=300) as proc:
        yield url, proc, Path(folder) / "make.log"


class Meter:
    """Samples RSS and CPU time of a process tree every `every` s in a thread."""

    def __init__(self, root_pid, every=1.0):
        self.root, self.every, self.samples = root_pid, every, []  # (t, rss MB, cpu s, kernels)
        self._stop = threading.Event()
        self._cpu_dead = 0.0  # CPU time of children that have exited
        self._last = {}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def tree(self):
        try:
            root = psutil.Process(self.root)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def sample(self):
        rss, cpu, kernels, now = 0.0, 0.0, 0, {}
        for p in self.tree():
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                now[p.pid] = t.user + t.system
                rss += p.memory_info().rss / 2**20
                kernels += "ipykernel_launcher" in " ".join(p.cmdline())
        self._cpu_dead += sum(v for pid, v in self._last.items() if pid not in now)
        self._last = now
        cpu = self._cpu_dead + sum(now.values())
        self.samples.append((time.monotonic(), rss, cpu, kernels))
        return self.samples[-1]

    def _run(self):
        while not self._stop.wait(self.every):
            self.sample()

    def start(self):
        self.sample()
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.sample()

    def between(self, t0, t1):
        inside = [s for s in self.samples if t0 <= s[0] <= t1] or self.samples[-1:]
        return inside


# --- a learner at the protocol level --------------------------------------------------------
class Learner:
    """One page's conversation with the server, without a browser: what canvas.js and the
    Step button send (helpers/playground/canvas.py documents the frame messages)."""

    def __init__(self, url, index):
        self.url, self.index = url, index
        self.session = uuid.uuid4().hex
        self.ws = None
        self.comm_ids = {}     # role -> comm id
        self.replies = {}      # msg_id -> Future (kernel idle after our message)
        self.epoch = -1        # the epoch of the last frame received
        self.frame = asyncio.Event()  # set on every frame
        self.states = asyncio.Future()
        self.playing = False
        self.in_flight = 0     # frame requests sent and not yet answered
        self.frames = 0        # frames received
        self.time_to_app = None
        self.step_latencies = []
        self.played = None     # (seconds, frames, epochs) while this learner played
        self.error = None
        self._reader = None

    # wire format: the kernel websocket protocol v1 (what JupyterLab's and Voilà's pages speak):
    # binary frames of [channel, header, parent_header, metadata, content, *buffers]
    def _msg(self, msg_type, content, channel="shell", metadata=None):
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "username": "learner",
                  "session": self.session, "date": "", "version": "5.3"}
        parts = [channel.encode()] + [json.dumps(x).encode() for x in
                                      (header, {}, metadata or {}, content)]
        offsets = [8 * (len(parts) + 2)]
        for part in parts:
            offsets.append(offsets[-1] + len(part))
        head = b"".join(x.to_bytes(8, "little") for x in (len(offsets), *offsets))
        return msg_id, head + b"".join(parts)

    async def send_comm(self, comm_id, data, wait=False):
        msg_id, text = self._msg("comm_msg", {"comm_id": comm_id, "data": data})
        done = asyncio.get_running_loop().create_future()
        self.replies[msg_id] = done
        await self.ws.write_message(text, binary=True)
        if wait:
            await asyncio.wait_for(done, APP_TIMEOUT)

    async def canvas(self, content):
        """A custom message of the canvas widget (anywidget's model.send)."""
        await self.send_comm(self.comm_ids["canvas"], {"method": "custom", "content": content})

    async def set_running(self, on):
        """The ▶ button: model.set("running", on); model.save_changes()."""
        await self.send_comm(self.comm_ids["canvas"], {
            "method": "update", "state": {"running": on}, "buffer_paths": []})

    async def request_frames(self):
        """canvas.js's request(): while playing, at most DEPTH requests in flight."""
        while self.playing and self.in_flight < DEPTH:
            self.in_flight += 1
            await self.canvas({"type": "frame"})

    async def read(self):
        try:
            await self._read()
        except Exception as exc:  # noqa: BLE001 - reported with the learner's results
            self.error = f"reading: {type(exc).__name__}: {exc}"
            raise

    async def _read(self):
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                return
            count = int.from_bytes(raw[:8], "little")
            offsets = [int.from_bytes(raw[8 * (i + 1):8 * (i + 2)], "little")
                       for i in range(count)]
            parts = [raw[offsets[i]:offsets[i + 1]] for i in range(count - 1)]
            header, parent, _, content = (json.loads(p) for p in parts[1:5])
            await self.handle({"header": header, "parent_header": parent, "content": content})

    async def handle(self, msg):
        kind, content = msg["header"]["msg_type"], msg["content"]
        parent = msg.get("parent_header", {}).get("msg_id")
        if kind == "status" and content.get("execution_state") == "idle":
            fut = self.replies.pop(parent, None)
            if fut is not None and not fut.done():
                fut.set_result(True)
        if kind != "comm_msg":
            return
        data = content.get("data", {})
        if data.get("method") == "update_states" and not self.states.done():
            self.states.set_result(data["states"])
        elif data.get("method") == "custom" and content["comm_id"] == self.comm_ids.get(
                "canvas"):
            inner = data.get("content") or {}
            if inner.get("type") == "frame":  # as canvas.js: store it, ask for the next one
                self.epoch = inner["epoch"]
                self.frames += 1
                self.frame.set()
                self.in_flight = max(0, self.in_flight - 1)
                await self.request_frames()
            elif inner.get("type") == "idle":  # asked while the kernel had us paused
                self.in_flight = max(0, self.in_flight - 1)
                await asyncio.sleep(1 / 60)  # the page: requestAnimationFrame(request)
                await self.request_frames()

    async def next_frame(self, above):
        """Until a frame with an epoch above `above` has come."""
        while self.epoch <= above:
            self.frame.clear()
            await asyncio.wait_for(self.frame.wait(), APP_TIMEOUT)

    async def arrive(self, http):
        start = time.monotonic()
        page = await http.fetch(f"{self.url}/", request_timeout=APP_TIMEOUT)
        html = page.body.decode()
        kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', html).group(1)
        cookies = "; ".join(c.split(";")[0] for c in page.headers.get_list("Set-Cookie"))
        req = HTTPRequest(f"{self.url.replace('http', 'ws')}/api/kernels/{kernel}/channels"
                          f"?session_id={self.session}", headers={"Cookie": cookies})
        self.ws = await websocket_connect(req, max_message_size=64 * 2**20,
                                          subprotocols=["v1.kernel.websocket.jupyter.org"])
        self._reader = asyncio.ensure_future(self.read())
        control = uuid.uuid4().hex
        _, text = self._msg("comm_open", {"comm_id": control,
                                          "target_name": "jupyter.widget.control", "data": {}},
                            metadata={"version": "1.0.0"})
        await self.ws.write_message(text, binary=True)
        await self.send_comm(control, {"method": "request_states"})
        states = await asyncio.wait_for(self.states, APP_TIMEOUT)
        for mid, s in states.items():
            st, name = s["state"], s["model_name"]
            if name == "ButtonModel" and st.get("description") == "Step":
                self.comm_ids["step"] = mid
            elif name == "AnyModel" and {"running", "url_hash"} <= set(st):
                self.comm_ids["canvas"] = mid
        missing = {"step", "canvas"} - set(self.comm_ids)
        if missing:
            raise RuntimeError(f"the app has no {sorted(missing)} widget: this learner speaks "
                               "the canvas Playground (helpers/playground/canvas.py)")
        # the view renders: canvas.js says hello (the app's address, no setting in its hash)
        # and the kernel answers with a full frame, which the page draws
        await self.canvas({"type": "hello", "hash": "", "base": f"{self.url}/"})
        await self.next_frame(-1)
        self.time_to_app = time.monotonic() - start

    async def step(self):
        """Click Step; until the frame of the new epoch."""
        before, start = self.epoch, time.monotonic()
        await self.send_comm(self.comm_ids["step"], {"method": "custom",
                                                     "content": {"event": "click"}})
        await self.next_frame(before)
        self.step_latencies.append(time.monotonic() - start)

    async def play(self, until):
        """▶ until `until`, then pause: frames are asked for as canvas.js asks for them."""
        frames, epoch, start = self.frames, self.epoch, time.monotonic()
        self.playing = True
        await self.set_running(True)
        await self.request_frames()
        await asyncio.sleep(max(0.0, until - time.monotonic()))
        self.playing = False
        await self.set_running(False)
        self.played = (time.monotonic() - start, self.frames - frames, self.epoch - epoch)

    def leave(self):
        self.playing = False
        if self._reader is not None:
            self._reader.cancel()
        if self.ws is not None:
            self.ws.close()


async def protocol_learner(learner, http, arrive_at, players_until, leave_event):
    await asyncio.sleep(max(0.0, arrive_at - time.monotonic()))
    try:
        await learner.arrive(http)
        for _ in range(STEPS):
            await learner.step()
            await asyncio.sleep(1.0)
        if learner.index < PLAYERS:
            await learner.play(players_until())
    except Exception as exc:  # noqa: BLE001 - reported, not raised: the others go on
        learner.error = f"{type(exc).__name__}: {exc}"
    await leave_event.wait()
    learner.leave()


# --- a learner in a real browser -------------------------------------------------------------
# the app is on screen: canvas.js has drawn a frame (its counter carries the frame's epoch)
EPOCH_JS = """(n) => {
  const counter = document.querySelector('.pg-counter');
  return !!counter && counter.dataset.epoch !== undefined && Number(counter.dataset.epoch) >= n;
}"""


def browser_learner(result, url, arrive_at, leave_event, pids):
    """One page in its own headless Chromium (own thread, own Playwright)."""
    from playwright.sync_api import sync_playwright

    time.sleep(max(0.0, arrive_at - time.monotonic()))
    stage, page = "starting Chromium", None
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-gpu",
                                              "--disable-dev-shm-usage"])
            pids.append(browser_pid(browser))
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            # for the diagnosis of a page that never shows the app: its errors and websockets
            log = result.setdefault("console", [])
            page.on("console", lambda m: m.type in ("error", "warning") and len(log) < 20
                    and log.append(f"{m.type}: {m.text[:200]}"))
            page.on("pageerror", lambda e: len(log) < 20 and log.append(f"pageerror: {e}"[:200]))
            sockets = result.setdefault("websockets", [])

            def watch(ws):
                info = {"url": ws.url[-60:], "received": 0, "sent": 0, "closed": False}
                sockets.append(info)
                ws.on("framereceived", lambda _: info.update(received=info["received"] + 1))
                ws.on("framesent", lambda _: info.update(sent=info["sent"] + 1))
                ws.on("close", lambda _: info.update(closed=True))
            page.on("websocket", watch)
            try:
                start = time.monotonic()
                stage = "loading the page"
                page.goto(url, timeout=APP_TIMEOUT * 1000)
                stage = "waiting for the first frame"
                page.wait_for_function(EPOCH_JS, arg=0, timeout=APP_TIMEOUT * 1000,
                                       polling=50)
                result["time_to_app"] = time.monotonic() - start
                for n in range(1, STEPS + 1):
                    stage = f"Step {n}"
                    t = time.monotonic()
                    page.locator("button", has_text="Step").first.click()
                    page.wait_for_function(EPOCH_JS, arg=n, timeout=APP_TIMEOUT * 1000,
                                           polling=50)
                    result.setdefault("steps", []).append(time.monotonic() - t)
                    page.wait_for_timeout(1000)
            except Exception:
                bk.ARTIFACTS.mkdir(exist_ok=True)  # what the page showed, for the diagnosis
                shot = bk.ARTIFACTS / f"load_test_page_{result['index']}.png"
                page.screenshot(path=str(shot), full_page=True)
                result["page_text"] = page.locator("body").inner_text()[:300]
                raise
            leave_event.wait()
            page.close(run_before_unload=True)  # the tab closes: Voilà's shutdown request
            time.sleep(1.0)
            browser.close()
    except Exception as exc:  # noqa: BLE001 - reported
        result["error"] = f"{stage}: {type(exc).__name__}: {str(exc)[:200]}"


def browser_pid(browser):
    """The browser's process id: the newest chromium process of this script's tree whose
    parent is not a chromium (its renderers and helpers are counted as its children)."""
    def is_chromium(p):
        with contextlib.suppress(psutil.Error):
            return p is not None and "chrom" in p.name().lower()
        return False

    kids = [c for c in psutil.Process().children(recursive=True)
            if is_chromium(c) and not is_chromium(c.parent())]
    return max(kids, key=lambda c: c.create_time()).pid if kids else None


# --- one run ---------------------------------------------------------------------------------
def run(n, browsers, after=150.0):
    browsers = min(browsers, n)
    with tempfile.TemporaryDirectory(prefix="hp-load-") as folder, \
            voila_server(folder, n) as (url, proc, log_path):
        bk.wait_for_voila_pool(log_path, proc)
        server = Meter(proc.pid).start()
        idle = settle(server)  # the idle level: a full pool, each kernel's app built
        idle_kernels = server.samples[-1][3]
        t0 = time.monotonic() + 1.0
        # arrivals spread evenly over the window; the real pages arrive among the others
        arrivals = [t0 + ARRIVAL_WINDOW * i / max(1, n - 1) if n > 1 else t0 for i in range(n)]
        page_slots = set(range(n - browsers, n))  # the last to arrive: the busiest moment
        load_before = os.getloadavg()[0]
        page_results, pids, threads = [], [], []
        leave_threads = threading.Event()

        async def drive():
            http = AsyncHTTPClient(max_clients=max(10, n))
            leave = asyncio.Event()
            learners = [Learner(url, i) for i in range(n) if i not in page_slots]
            last_arrival = arrivals[-1]

            def players_until():  # play until the last learner has done its Steps
                return last_arrival + 25.0

            tasks = [asyncio.ensure_future(protocol_learner(lr, http, arrivals[lr.index],
                                                            players_until, leave))
                     for lr in learners]
            await asyncio.sleep(max(0.0, players_until() + 5.0 - time.monotonic()))
            end = time.monotonic()
            leave.set()
            leave_threads.set()
            await asyncio.gather(*tasks)
            return learners, end

        for i in sorted(page_slots):
            res = {"index": i}
            page_results.append(res)
            th = threading.Thread(target=browser_learner, args=(res, url, arrivals[i],
                                                                leave_threads, pids))
            th.start()
            threads.append(th)
        browser_meter = BrowserMeter(pids).start()
        learners, end = asyncio.run(drive())
        for th in threads:
            th.join(60)
        left = end  # when the learners were told to leave (the pages may close later)
        browser_meter.stop()
        after_samples = []  # each 15 s until memory and kernels are back at the idle level
        while time.monotonic() - left < after:
            time.sleep(15)
            s = server.sample()
            after_samples.append((round(s[0] - left), round(s[1]), s[3]))
            # every learner's kernel culled, the pool refilled, the memory at the idle level
            if (log_path.read_text().count("Culling '") >= n and s[3] <= idle_kernels
                    and s[1] <= 1.03 * idle):
                break
        server.stop()
        busy = server.between(t0, end)
        log = log_path.read_text()
    r = summarise(n, browsers, learners, page_results, idle, idle_kernels, busy, t0, end,
                  browser_meter, after_samples, log)
    r["load_before"] = load_before
    return r


def settle(meter, every=10.0, tolerance=0.02, timeout=300.0):
    """The tree's RSS once two samples `every` s apart differ by less than `tolerance`."""
    end, last = time.monotonic() + timeout, meter.sample()[1]
    while time.monotonic() < end:
        time.sleep(every)
        now = meter.sample()[1]
        if abs(now - last) < tolerance * last:
            return now
        last = now
    return last


class BrowserMeter(Meter):
    """RSS and CPU of the Chromium processes this script started."""

    def __init__(self, pids, every=1.0):
        super().__init__(None, every)
        self.pids = pids

    def tree(self):
        procs = []
        for pid in self.pids:
            with contextlib.suppress(psutil.Error, TypeError, ValueError):
                root = psutil.Process(pid)
                procs += [root, *root.children(recursive=True)]
        return procs


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else None


def summarise(n, browsers, learners, pages, idle, idle_kernels, busy, t0, end, bmeter, after,
              log):
    tta = [lr.time_to_app for lr in learners if lr.time_to_app is not None]
    steps = [x for lr in learners for x in lr.step_latencies]
    page_tta = [p["time_to_app"] for p in pages if "time_to_app" in p]
    page_steps = [x for p in pages for x in p.get("steps", [])]
    cpu = busy[-1][2] - busy[0][2]
    bcpu = (bmeter.samples[-1][2] - bmeter.samples[0][2]) if bmeter.samples else 0.0
    return {
        "learners": n, "pages": browsers, "uptime": os.getloadavg(),
        "time_to_app": (statistics.median(tta), max(tta)) if tta else None,
        "never_saw_app": sum(lr.time_to_app is None for lr in learners)
                         + sum("time_to_app" not in p for p in pages),
        "step": (statistics.median(steps), pct(steps, 0.95), max(steps)) if steps else None,
        "steps_over_1s": sum(x > 1.0 for x in steps),
        "page_time_to_app": (statistics.median(page_tta), max(page_tta)) if page_tta else None,
        "page_step": (statistics.median(page_steps), max(page_steps)) if page_steps else None,
        "played": [(round(sec, 1), round(f / sec, 1), round(e / sec, 1))
                   for sec, f, e in (lr.played for lr in learners if lr.played)],
        "server_idle_mb": round(idle), "idle_kernels": idle_kernels,
        "server_peak_mb": round(max(s[1] for s in busy)),
        "server_cpu_s": round(cpu, 1), "server_cores": round(cpu / max(1e-9, end - t0), 2),
        "browser_peak_mb": round(max((s[1] for s in bmeter.samples), default=0)),
        "browser_cpu_s": round(bcpu, 1),
        "after_leaving": after,  # (s after leaving, server MB, kernels alive)
        "culled": log.count("Culling '"), "iopub_timeouts": log.count("Timeout waiting for IOPub"),
        "refused_shutdowns": log.count("403 POST"),
        "errors": [lr.error for lr in learners if lr.error]
                  + [f"page {p['index']}: {p['error']} | {p.get('page_text', '')!r} | console "
                     f"{p.get('console')} | websockets {p.get('websockets')}"
                     for p in pages if "error" in p],
    }


def fmt(pair, digits=1):
    return " / ".join(f"{x:.{digits}f}" for x in pair) if pair else "—"


def markdown(results):
    head = ("| learners (pages) | load avg 1 min, start → end | time to app median / max | "
            "step median / "
            "p95 / max | players: frames/s, epochs/s each | server RSS idle → peak | "
            "server CPU (cores) | browsers' RSS, CPU | after leaving: s → MB, kernels |\n"
            "|---|---|---|---|---|---|---|---|---|")
    rows = []
    for r in results:
        after = ", ".join(f"{t} s → {mb}, {k}" for t, mb, k in r["after_leaving"])
        rows.append(
            f"| {r['learners']} ({r['pages']}) | {r['load_before']:.1f} → {r['uptime'][0]:.1f} | "
            f"{fmt(r['time_to_app'])} s (pages {fmt(r['page_time_to_app'])} s) | "
            f"{fmt(r['step'], 2)} s (pages {fmt(r['page_step'], 2)} s) | "
            f"{'; '.join(f'{f}, {e}' for _, f, e in r['played']) or '—'} | "
            f"{r['server_idle_mb']} → {r['server_peak_mb']} MB | {r['server_cpu_s']} s "
            f"({r['server_cores']}) | {r['browser_peak_mb']} MB, {r['browser_cpu_s']} s | "
            f"{after} |")
    return "\n".join([head, *rows])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, nargs="+", help="learners per run (e.g. 1 10 30)")
    ap.add_argument("--browsers", type=int, default=2,
                    help="how many of them are real Chromium pages (default 2)")
    ap.add_argument("--after", type=float, default=150.0,
                    help="seconds to watch the server after everyone left (default 150)")
    ap.add_argument("--markdown", action="store_true", help="print a README table too")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))  # still stop the server
    if args.browsers and CHROMIUM is None:
        sys.exit("no /usr/bin/chromium: apt-get install chromium, or pass --browsers 0")
    results = []
    for n in args.n:
        r = run(n, args.browsers, after=args.after)
        print(json.dumps(r), flush=True)
        results.append(r)
    if args.markdown:
        print(markdown(results))


if __name__ == "__main__":
    main()
