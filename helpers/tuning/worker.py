"""One worker of a shared Optuna study (notebook 12, 2.12): run it in as many processes, on as
many machines, as you like; they share the study through its storage.

    python -m helpers.tuning.worker --storage study.log --study digits --n-trials 10 --seed 1

--storage: a journal file (processes on one machine) or an RDB URL such as
postgresql://user:password@host/db (processes on many machines). The study must exist
(optuna.create_study(..., storage=..., study_name=...) once, or `optuna create-study`).
Each worker has its own seeded TPE sampler (a different seed per worker, or they would
propose the same configs) and the median pruner; it tags its trials with --name.
--barrier DIR --n-workers N: wait until N workers have started, so they run at the same time.
"""

import argparse
import os
import pathlib
import sys
import time

import optuna

from .objective import DIGITS_SPACE, DigitsObjective
from .with_optuna import make_pruner, make_storage, run_trial, silence


def wait_for_others(barrier, name, n_workers, *, timeout=60.0):
    """Announce this worker in the folder `barrier`, then wait until n_workers are there."""
    folder = pathlib.Path(barrier)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.ready").touch()
    deadline = time.monotonic() + timeout
    while len(list(folder.glob("*.ready"))) < n_workers:
        if time.monotonic() > deadline:
            raise SystemExit(f"worker {name}: the other workers did not start within {timeout} s")
        time.sleep(0.01)


def launch(storage, study, *, n_workers=2, n_trials=10, seed=0, barrier=None, timeout=120.0):
    """Start n_workers worker processes at once (worker i: sampler seed seed + i, name
    "worker-i") and wait for them; returns their exit codes. A worker still running after
    timeout seconds is killed and raises subprocess.TimeoutExpired."""
    import subprocess

    env = {**os.environ, "MPLBACKEND": "Agg"}  # no notebook backend in a child process
    procs = []
    for i in range(n_workers):
        cmd = [sys.executable, "-m", "helpers.tuning.worker", "--storage", str(storage),
               "--study", study, "--n-trials", str(n_trials), "--seed", str(seed + i),
               "--name", f"worker-{i}"]
        if barrier is not None:
            cmd += ["--barrier", str(barrier), "--n-workers", str(n_workers)]
        procs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True))
    deadline = time.monotonic() + timeout
    try:
        for p in procs:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    for p in procs:
        out = p.stdout.read()
        p.stdout.close()
        if p.returncode != 0:
            raise RuntimeError(f"a worker failed (exit {p.returncode}):\n{out}")
    return [p.returncode for p in procs]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m helpers.tuning.worker",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--storage", required=True, help="journal file path or RDB URL")
    parser.add_argument("--study", required=True, help="the study's name in the storage")
    parser.add_argument("--n-trials", type=int, default=10, help="trials this worker runs")
    parser.add_argument("--seed", type=int, default=0, help="this worker's sampler seed")
    parser.add_argument("--name", default=f"pid-{os.getpid()}", help="tag of this worker")
    parser.add_argument("--epochs", type=int, default=9, help="epochs of a full trial")
    parser.add_argument("--pruner", default="median", choices=["median", "hyperband", "none"])
    parser.add_argument("--barrier", default=None, help="folder to meet the other workers in")
    parser.add_argument("--n-workers", type=int, default=1, help="workers to wait for")
    args = parser.parse_args(argv)
    if args.n_trials < 1 or args.epochs < 1:
        parser.error("--n-trials and --epochs must be at least 1")

    silence()
    study = optuna.load_study(study_name=args.study, storage=make_storage(args.storage),
                              sampler=optuna.samplers.TPESampler(seed=args.seed),
                              pruner=make_pruner(args.pruner, max_epochs=args.epochs))
    objective = DigitsObjective(epochs=args.epochs)

    def run(trial):
        trial.set_user_attr("worker", args.name)
        return run_trial(trial, objective, DIGITS_SPACE, epochs=args.epochs)

    if args.barrier:
        wait_for_others(args.barrier, args.name, args.n_workers)
    study.optimize(run, n_trials=args.n_trials)
    return 0


if __name__ == "__main__":
    sys.exit(main())
