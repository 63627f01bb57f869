"""Serving the Playground to a class: voila.json (read by the README's `make app` / voila
command) names only options the installed Voilà and jupyter_server have, and sets what a class
needs; the per-tick work cap of the Playground's engine."""

import asyncio
import json
import re
from pathlib import Path

import pytest

from helpers.playground import Trainer
from helpers.playground.config import TICK_UPDATES_DEFAULT, TICK_UPDATES_ENV, tick_updates

ROOT = Path(__file__).resolve().parents[1]
CONFIG = json.loads((ROOT / "voila.json").read_text())


def configurable_classes():
    from jupyter_server.services.kernels.kernelmanager import (AsyncMappingKernelManager,
                                                               MappingKernelManager)
    from voila.app import Voila
    from voila.configuration import VoilaConfiguration
    from voila.execute import VoilaExecutor
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    pooled = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    return {c.__name__: c for c in (Voila, VoilaConfiguration, VoilaExecutor,
                                    MappingKernelManager, pooled)}


def test_every_option_exists_in_the_installed_voila_and_jupyter_server():
    classes = configurable_classes()
    for section, options in CONFIG.items():
        assert section in classes, f"no configurable class {section!r}"
        traits = classes[section].class_traits(config=True)
        for name in options:
            assert name in traits, f"{section}.{name} is not an option of the installed version"


def test_voila_reads_the_file_when_started_as_the_readme_says(monkeypatch):
    from voila.app import Voila

    monkeypatch.chdir(ROOT)  # make app runs in the repository's root
    monkeypatch.setattr("signal.signal", lambda *a: None)
    app = Voila()
    app.initialize(["app/playground.ipynb", "--preheat_kernel=True"])
    vc = app.voila_configuration
    assert vc.preheat_kernel is True
    assert vc.default_pool_size == CONFIG["VoilaConfiguration"]["default_pool_size"]
    assert app.config.MappingKernelManager.cull_idle_timeout \
        == CONFIG["MappingKernelManager"]["cull_idle_timeout"]
    assert app.config.VoilaExecutor.iopub_timeout == CONFIG["VoilaExecutor"]["iopub_timeout"]


def test_a_class_is_served_warm_never_loses_the_app_and_gets_its_kernels_back():
    vc, ex, km = (CONFIG[k] for k in ("VoilaConfiguration", "VoilaExecutor",
                                       "MappingKernelManager"))
    assert vc["preheat_kernel"] and vc["default_pool_size"] >= 2
    assert ex["iopub_timeout"] >= 60 and not ex["raise_on_iopub_timeout"]  # default 4 s
    # a kernel whose page has gone (no websocket left) is shut down once idle; a page that is
    # still open keeps its kernel (cull_connected false)
    assert 0 < km["cull_interval"] <= km["cull_idle_timeout"] <= 120
    assert km["cull_connected"] is False and km["cull_busy"] is False


def denied(path, patterns):
    """VoilaKernelManager._notebook_filter's rule: a substring or a regex match."""
    return any(p in path or re.match(p, path) for p in patterns)


def test_only_the_app_is_pre_heated():
    patterns = CONFIG["VoilaKernelManager"]["preheat_denylist"]
    others = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.ipynb")
              if ".venv" not in p.parts and p.parent.name != "app"]
    assert others, "the repository's notebooks are missing"
    for path in others:
        assert denied(path, patterns), f"{path} would get pre-heated kernels"
    assert not denied("app/playground.ipynb", patterns)
    assert not denied("playground.ipynb", patterns)


def test_the_kernels_get_the_tick_cap():
    env = CONFIG["VoilaKernelManager"]["default_env_variables"]
    assert 100 <= tick_updates(env) <= 5000
    assert env["OPENBLAS_NUM_THREADS"] == "1"  # one core per learner, not a fight over both


def test_tick_updates_reads_the_environment_and_refuses_nonsense():
    assert tick_updates({}) == TICK_UPDATES_DEFAULT
    assert tick_updates({TICK_UPDATES_ENV: " 250 "}) == 250
    for bad in ("0", "-5", "1.5", "lots"):
        with pytest.raises(ValueError, match=TICK_UPDATES_ENV):
            tick_updates({TICK_UPDATES_ENV: bad})


def test_train_stops_after_the_epoch_that_reaches_max_updates():
    t = Trainer({"n_samples": 400, "train_ratio": 0.5, "batch_size": 10})  # 20 updates/epoch
    t.train(20, max_updates=50)
    assert t.epoch == 3 and t.history.iterations == 60
    t.train(20)  # no cap: all 20
    assert t.epoch == 23
    big = Trainer({"n_samples": 400, "train_ratio": 0.5, "batch_size": 1})  # 200 per epoch
    big.train(5, max_updates=1)  # an epoch always finishes
    assert big.epoch == 1 and big.history.iterations == 200


def test_max_updates_is_checked():
    t = Trainer()
    for bad in (0, -1, 2.5, "10"):
        with pytest.raises(ValueError, match="max_updates"):
            t.train(1, max_updates=bad)


def test_a_step_of_the_playground_obeys_the_cap(monkeypatch):
    from helpers.playground import Playground

    monkeypatch.setenv(TICK_UPDATES_ENV, "30")
    pg = Playground(output_resolution=8, neuron_resolution=4)  # 20 updates per epoch
    pg.step(20)
    assert pg.trainer.epoch == 2


def test_kernel_websockets_send_each_frame_at_once(monkeypatch):
    """voila.json names the connection class that turns Nagle's algorithm off, and that class
    sets TCP_NODELAY on its websocket before it connects the kernel's channels."""
    from jupyter_server.services.kernels.connection.channels import (
        ZMQChannelsWebsocketConnection)
    from traitlets.utils.importstring import import_item

    from helpers.playground.server import CONNECTION, NoDelayConnection

    assert CONFIG["Voila"]["kernel_websocket_connection_class"] == CONNECTION
    assert import_item(CONNECTION) is NoDelayConnection
    assert issubclass(NoDelayConnection, ZMQChannelsWebsocketConnection)
    calls = []

    class Handler:  # a websocket handler after its handshake
        def set_nodelay(self, value):
            calls.append(("nodelay", value))

    async def channels_connected(self):
        calls.append(("connect",))

    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", channels_connected)
    conn = NoDelayConnection.__new__(NoDelayConnection)
    conn._trait_values["websocket_handler"] = Handler()  # no kernel: only connect() is run
    asyncio.run(conn.connect())
    assert calls == [("nodelay", True), ("connect",)]


@pytest.mark.kernel
def test_a_kernel_taken_from_the_pool_lives_until_its_page_connects(tmp_path):
    """The real pages that never showed the app at 30 learners: a pre-heated kernel waits in
    Voilà's pool, idle (the culler spares pooled kernels); the learner's request takes it out;
    if the culler looks before the page's websocket is up (a real page loads Voilà's scripts
    first: seconds, more under load), the kernel has been idle longer than cull_idle_timeout
    and has no connection, so it is culled and the page shows "Loading widget..." for good.
    Here with the times shrunk: the culler every 1 s, after 5 s idle."""
    import time
    import urllib.request

    import browser_kit as bk
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    port = bk.free_port()
    url = f"http://127.0.0.1:{port}"
    fast = "--MappingKernelManager.cull_idle_timeout=5 --MappingKernelManager.cull_interval=1"
    args = ["make", "--no-print-directory", "serve", "LEARNERS=1",
            f"VOILA_ARGS=--Voila.ip=127.0.0.1 --port={port} {fast}"]
    with bk.server(args, f"{url}/voila/static/ready", folder=tmp_path, cwd=ROOT,
                   timeout=300) as proc:
        log = tmp_path / "make.log"
        bk.wait_for_voila_pool(log, proc, timeout=240)
        time.sleep(7)  # the pooled kernel is now idle for longer than cull_idle_timeout
        with urllib.request.urlopen(f"{url}/", timeout=120) as r:  # the learner arrives
            html = r.read().decode()
        kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', html).group(1)
        time.sleep(3)  # the page loads its scripts; the culler looks at least twice

        async def connect():
            ws = await websocket_connect(HTTPRequest(
                f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels?session_id=t"),
                subprotocols=["v1.kernel.websocket.jupyter.org"])
            ws.close()

        asyncio.run(connect())  # a culled kernel answers 404 here
        culled = f"Culling 'idle' kernel 'python3' ({kernel})"
        assert culled not in log.read_text()
        # the page has gone (its websocket closed): the kernel is culled once idle 5 s
        end = time.monotonic() + 30
        while culled not in log.read_text():
            assert time.monotonic() < end, "the kernel outlived its page"
            time.sleep(0.5)
