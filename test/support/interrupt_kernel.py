"""Drives one Jupyter kernel for a test, step by step, with jupyter_client (Debian's python3-jupyter-client).

Usage: /usr/bin/python3 interrupt_kernel.py --kernel tslab --cwd DIR [--kernel-log FILE] [--startup-timeout 120]

The test writes one JSON command a line on stdin and reads one JSON event a line on stdout, so it can act
between the steps (watch files, read the process table) while the kernel keeps running:

  {"op": "execute", "code": "...", "timeout": 120}  run a cell, wait for it: {"event": "reply", ...outputs}
  {"op": "submit", "code": "..."}                    start a cell, do not wait: {"event": "submitted"}
  {"op": "interrupt"}                                KernelManager.interrupt_kernel(): {"event": "interrupted"}
  {"op": "collect", "timeout": 60}                   wait for the submitted cell: {"event": "reply", ...}
  {"op": "alive"}                                    {"event": "alive", "alive": bool}
  {"op": "shutdown"}                                 stop the kernel: {"event": "bye"}, exit 0

A reply carries status ("ok" / "error" / "abort"; "timeout" when the cell did not finish in time, "dead" when the
kernel process died), the
cell's stdout and stderr text, its execute_result as text/plain, and error name/value. The kernel's own
output goes to --kernel-log (never to stdout, which carries the events). On start: {"event": "ready", "pid": N}.
"""
import argparse
import json
import queue
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager


def emit(event, **fields):
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def collect(km, kc, msg_id, timeout):
    """Outputs of one cell until the kernel is idle after it, then its shell reply ("dead" if the kernel died)."""
    out = {"status": "timeout", "stdout": "", "stderr": "", "result": None, "ename": None, "evalue": None}
    deadline = time.monotonic() + timeout
    idle = False
    while not idle:
        left = deadline - time.monotonic()
        if not km.is_alive():
            return {**out, "status": "dead"}
        if left <= 0:
            return out
        try:
            msg = kc.get_iopub_msg(timeout=min(left, 1.0))
        except queue.Empty:
            continue
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            out[content.get("name", "stdout")] = out.get(content.get("name", "stdout"), "") + content.get("text", "")
        elif kind == "execute_result":
            out["result"] = content.get("data", {}).get("text/plain")
        elif kind == "error":
            out["ename"], out["evalue"] = content.get("ename"), content.get("evalue")
        elif kind == "status" and content.get("execution_state") == "idle":
            idle = True
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return out
        try:
            reply = kc.get_shell_msg(timeout=min(left, 1.0))
        except queue.Empty:
            continue
        if reply.get("parent_header", {}).get("msg_id") == msg_id:
            out["status"] = reply["content"].get("status")
            out["ename"] = out["ename"] or reply["content"].get("ename")
            out["evalue"] = out["evalue"] or reply["content"].get("evalue")
            return out


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--cwd", required=True, help="the kernel's working directory")
    ap.add_argument("--kernel-log", default=None, help="file for the kernel's own stdout and stderr")
    ap.add_argument("--startup-timeout", type=float, default=120)
    args = ap.parse_args(argv)

    log = open(args.kernel_log, "ab") if args.kernel_log else subprocess.DEVNULL
    km = KernelManager(kernel_name=args.kernel)
    km.start_kernel(cwd=args.cwd, stdout=log, stderr=log)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=args.startup_timeout)
        pid = getattr(getattr(km, "provisioner", None), "pid", None) or getattr(getattr(km, "kernel", None), "pid", None)
        emit("ready", pid=pid)
        submitted = None
        for line in sys.stdin:
            if not line.strip():
                continue
            cmd = json.loads(line)
            op = cmd.get("op")
            if op == "execute":
                emit("reply", **collect(km, kc, kc.execute(cmd["code"]), cmd.get("timeout", 120)))
            elif op == "submit":
                submitted = kc.execute(cmd["code"])
                emit("submitted")
            elif op == "interrupt":
                km.interrupt_kernel()
                emit("interrupted")
            elif op == "collect":
                if submitted is None:
                    emit("error", message="nothing submitted")
                else:
                    emit("reply", **collect(km, kc, submitted, cmd.get("timeout", 60)))
                    submitted = None
            elif op == "alive":
                emit("alive", alive=bool(km.is_alive()))
            elif op == "shutdown":
                break
            else:
                emit("error", message=f"unknown op {op!r}")
    finally:
        kc.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=False)
    emit("bye")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
