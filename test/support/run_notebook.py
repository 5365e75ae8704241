"""Executes one notebook headless with nbclient (Debian's python3-nbclient) and writes the result.

Usage: /usr/bin/python3 run_notebook.py IN.ipynb OUT.ipynb --kernel tslab --timeout 300 [--cwd DIR]

The kernel is found through JUPYTER_PATH (the caller installs the kernelspec there). On a cell error
the partly executed notebook is still written, the failing cell and what it printed on stderr (tslab
reports exceptions there, with an error reply but no `error` output) go to stderr, and the exit code is
1; any other failure exits 2.
"""
import argparse
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError


def _print_failed_cell(nb):
    """The last executed code cell: its number among code cells, source head and stderr tail."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    ran = [i for i, c in enumerate(code) if c.get("execution_count") is not None or c.get("outputs")]
    if not ran:
        return
    i = ran[-1]
    cell = code[i]
    err = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stderr")
    err += "".join(f"{o.get('ename')}: {o.get('evalue')}\n" for o in cell.get("outputs", []) if o.get("output_type") == "error")
    print(f"failed code cell #{i + 1}: {cell.source[:200]!r}", file=sys.stderr)
    print(err[-4000:], file=sys.stderr)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("notebook")
    ap.add_argument("output")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    ap.add_argument("--startup-timeout", type=int, default=120)
    ap.add_argument("--cwd", default=None, help="kernel working directory (default: the notebook's)")
    args = ap.parse_args(argv)

    nb = nbformat.read(args.notebook, as_version=4)
    import os

    cwd = args.cwd or os.path.dirname(os.path.abspath(args.notebook))
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        resources={"metadata": {"path": cwd}},
    )
    status = 0
    try:
        client.execute()
    except CellExecutionError as err:
        status = 1
        print(f"cell error: {err.ename}: {err.evalue}", file=sys.stderr)
        _print_failed_cell(nb)
    except DeadKernelError as err:
        status = 1
        print(f"kernel died: {err}", file=sys.stderr)
    except Exception as err:  # timeouts, missing kernelspec, ...
        status = 2
        print(f"execution failed: {type(err).__name__}: {err}", file=sys.stderr)
    nbformat.write(nb, args.output)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
