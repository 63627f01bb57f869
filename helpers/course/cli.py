"""hp-course: get the course's notebooks, open them in JupyterLab, start the Playground app.

    hp-course get [DIR] [--student] [--force]   copy the notebooks into DIR
    hp-course lab [DIR] [--student] [--port N] [--no-browser]
    hp-course app [--port N] [--no-browser]     the Playground (Voilà); prints its URL

`python -m helpers ...` does the same. DIR defaults to ./hyperparameters-course. Servers
listen on 127.0.0.1 only, on a free port unless --port names one.
"""

import argparse
import hashlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from ..playground.server import CONNECTION
from . import app_notebook, edition_bytes, lesson_notebooks

DEFAULT_DIR = "hyperparameters-course"
MANIFEST = ".hp-course.json"  # what `get` wrote: a file still matching it is not the learner's


class CourseError(Exception):
    """A problem the learner can fix; main() prints it without a traceback."""


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _target_folder(folder):
    """`folder` as an absolute path; its parent must exist (a typo should not create a tree)."""
    folder = Path(folder).expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        raise CourseError(f"{folder} is a file, not a folder: give another folder name.")
    if not folder.parent.is_dir():
        raise CourseError(f"The folder {folder.parent} does not exist: create it first, "
                          f"or give a folder inside one that exists.")
    return folder


def get(folder=DEFAULT_DIR, *, student=False, force=False, say=print):
    """Copy every lesson notebook into `folder` (the full edition, or the student edition).

    A file that differs from the course's copy is kept unless `force`: the learner may have
    edited it. A file still exactly as `get` wrote it last time is updated.
    Returns {notebook name: what happened}.
    """
    sources = lesson_notebooks()
    if not sources:
        raise CourseError("This installation has no notebooks: reinstall the course.")
    folder = _target_folder(folder)
    try:
        folder.mkdir(exist_ok=True)
        manifest_path = folder / MANIFEST
        try:
            written = json.loads(manifest_path.read_text())
        except (OSError, ValueError):
            written = {}
        outcome = {}
        for source in sources:
            data, target = edition_bytes(source, student=student), folder / source.name
            if not target.exists():
                outcome[source.name] = "copied"
            else:
                current = target.read_bytes()
                if current == data:
                    outcome[source.name] = "unchanged"
                    written[source.name] = _sha256(data)
                    continue
                if written.get(source.name) == _sha256(current):
                    outcome[source.name] = "updated"
                elif force:
                    outcome[source.name] = "replaced"
                else:
                    outcome[source.name] = "kept"
                    continue
            target.write_bytes(data)
            written[source.name] = _sha256(data)
        manifest_path.write_text(json.dumps(written, indent=1, sort_keys=True) + "\n")
    except PermissionError as e:
        raise CourseError(f"Cannot write in {folder}: {e.strerror}. Choose a folder you "
                          f"can write to.") from None
    edition = "student edition (no solutions)" if student else "full edition"
    counts = {k: sum(v == k for v in outcome.values())
              for k in ("copied", "updated", "replaced", "unchanged", "kept")}
    summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    say(f"{len(sources)} notebooks, {edition}, in {folder}: {summary}.")
    kept = [name for name, what in outcome.items() if what == "kept"]
    if kept:
        say("Kept your edited " + ", ".join(kept) + " (hp-course get --force replaces them).")
    return outcome


def free_port(port=None):
    """`port` if it is free on 127.0.0.1 (a clear error if busy), else any free port."""
    if port is not None and not 1 <= port <= 65535:
        raise CourseError(f"--port must be between 1 and 65535, not {port}.")
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port or 0))
        except OSError:
            raise CourseError(f"Port {port} is busy: another program is listening on it. "
                              f"Choose another with --port, or leave --port out to use "
                              f"a free one.") from None
        return s.getsockname()[1]


def _run_server(args, folder):
    """Run a Jupyter server in the foreground until Ctrl-C; return its exit status."""
    # one BLAS thread, like the tests: the course's matrices are small
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    try:
        return subprocess.call(args, cwd=folder, env=env)
    except KeyboardInterrupt:
        return 0


def lab(folder=DEFAULT_DIR, *, student=False, port=None, browser=True):
    """Open JupyterLab on `folder`, copying the course there first if it has no notebooks."""
    target = _target_folder(folder)
    port = free_port(port)
    if not target.is_dir() or not any(target.glob("[0-9][0-9]_*.ipynb")):
        get(target, student=student)
    args = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={target}",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            # the Playground's frames go out at once (helpers/playground/server.py says why)
            f"--ServerApp.kernel_websocket_connection_class={CONNECTION}"]
    if not browser:
        args.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    print(f"JupyterLab on {target} at http://127.0.0.1:{port}/lab (Ctrl-C stops it)",
          flush=True)
    return _run_server(args, target)


def app(*, port=None, browser=True):
    """Serve the Playground app with Voilà on 127.0.0.1 and print its URL."""
    notebook = app_notebook()
    if notebook is None:
        raise CourseError("This installation has no Playground app (app/playground.ipynb): "
                          "reinstall the course.")
    port = free_port(port)
    # as `make app`: a kernel started before the first visitor, frames sent at once
    args = [sys.executable, "-m", "voila", str(notebook), "--Voila.ip=127.0.0.1",
            f"--Voila.port={port}", "--preheat_kernel=True",
            f"--Voila.kernel_websocket_connection_class={CONNECTION}"]
    if not browser:
        args.append("--no-browser")
    print(f"The Playground: http://127.0.0.1:{port}/ (Ctrl-C stops it)", flush=True)
    return _run_server(args, notebook.parent)


def parser():
    p = argparse.ArgumentParser(
        prog="hp-course", description="The hyperparameters course: get the notebooks, open "
        "them in JupyterLab, or start the Playground app.")
    sub = p.add_subparsers(dest="command", required=True, metavar="{get,lab,app}")
    g = sub.add_parser("get", help="copy the notebooks into a folder")
    g.add_argument("dir", nargs="?", default=DEFAULT_DIR,
                   help=f"where to put them (default: ./{DEFAULT_DIR})")
    g.add_argument("--student", action="store_true",
                   help="the student edition: no solutions, no outputs")
    g.add_argument("--force", action="store_true",
                   help="replace notebooks you have edited with the course's copy")
    servers = argparse.ArgumentParser(add_help=False)
    servers.add_argument("--port", type=int, default=None,
                         help="port on 127.0.0.1 (default: a free one)")
    servers.add_argument("--no-browser", dest="browser", action="store_false",
                         help="only print the URL")
    la = sub.add_parser("lab", parents=[servers], help="open the notebooks in JupyterLab "
                        "(copies them into DIR first if it has none)")
    la.add_argument("dir", nargs="?", default=DEFAULT_DIR,
                    help=f"the course folder (default: ./{DEFAULT_DIR})")
    la.add_argument("--student", action="store_true",
                    help="if DIR has no notebooks yet, copy the student edition")
    sub.add_parser("app", parents=[servers], help="start the Playground app (Voilà)")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        if args.command == "get":
            get(args.dir, student=args.student, force=args.force)
            return 0
        if args.command == "lab":
            return lab(args.dir, student=args.student, port=args.port, browser=args.browser)
        return app(port=args.port, browser=args.browser)
    except CourseError as e:
        print(f"hp-course: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
