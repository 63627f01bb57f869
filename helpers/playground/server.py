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
"""

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

# the dotted name a server's configuration takes
CONNECTION = "helpers.playground.server.NoDelayConnection"


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection with TCP_NODELAY set on the socket."""

    async def connect(self):
        # the handshake is done (the handler's open() calls this): the socket exists
        self.websocket_handler.set_nodelay(True)
        return await super().connect()
