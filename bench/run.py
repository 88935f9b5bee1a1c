"""`make bench`: run every benchmark script in this folder; each writes var/bench/<name>.json."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv):
    names = argv or sorted(p.stem.removesuffix("_bench") for p in HERE.glob("*_bench.py"))
    failed = []
    for name in names:
        script = HERE / f"{name}_bench.py"
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0:
            failed.append(name)
    if failed:
        print("failed:", ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
