"""What the Playground needs from the Jupyter server that serves its page (Voila for the app,
JupyterLab for the notebooks): kernel websockets that send each message at once.

Why: the page asks for a frame, the kernel answers with one message of about 28 KB, and asks
again when it has drawn it. Tornado (the server's web framework) leaves Nagle's algorithm on
for websockets, and jupyter_server does not turn it off, so a frame written while the
previous packet's ACK is still pending waits for it, up to the receiver's delayed-ACK timer
(40 ms on Linux): frames arrive in pairs and the picture changes half as often. Measured on
this 2-core machine with the app in headless Chromium (benchmarks/bench_playground_browser.py):
16-19 picture updates a second before, 32-35 after.

Used by name in voila.json (Voila.kernel_websocket_connection_class), by `make lab` and by
`hp-course lab/app` (ServerApp.kernel_websocket_connection_class); see CONNECTION.

And a kernel manager for a class (voila.json's VoilaConfiguration.multi_kernel_manager_class):
a kernel that waits in Voilà's pre-heated pool counts as active, so that, taken out by a
learner's request, it lives until the page's websocket is up (see PooledKernelManager).
"""

from datetime import datetime, timezone

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

# the dotted name a server's configuration takes
CONNECTION = "helpers.playground.server.NoDelayConnection"


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection with TCP_NODELAY set on the socket."""

    async def connect(self):
        # the handshake is done (the handler's open() calls this): the socket exists
        self.websocket_handler.set_nodelay(True)
        return await super().connect()


class PooledKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, for Voilà with a pre-heated pool and idle culling.

    Voilà's culler spares the kernels in its pool, but they sit idle there: one waiting since
    the class began has been idle for longer than cull_idle_timeout. A learner's request takes
    it out; the page then loads Voilà's scripts before it opens the kernel's websocket
    (seconds, more on a busy server), and a culler pass in between finds an idle kernel with no
    connection and shuts it down: the page stays at "Loading widget..." (seen with real pages
    among 30 learners, reproduced in tests/test_serving.py). Here every culler pass first marks
    the pooled kernels active, so a kernel leaves the pool at most one cull_interval "old" and
    its page has cull_idle_timeout minus that to connect. (Voilà makes this class the base of
    its pooling manager, whose cull_kernel_if_idle skips pooled kernels.)"""

    async def cull_kernels(self):
        now = datetime.now(timezone.utc)
        for pool in getattr(self, "_pools", {}).values():  # Voilà's: futures of pool entries
            for entry in pool:
                if entry.done() and not entry.cancelled() and entry.exception() is None:
                    kernel = self._kernels.get(entry.result().get("kernel_id"))
                    if kernel is not None:
                        kernel.last_activity = now
        await super().cull_kernels()
