#!/usr/bin/env python3
"""Checks every #include in the project's modules against the dependency direction
of docs/architecture.md. The build already refuses most violations (each target
exports only its own include/ folder); this check also catches system headers
that a deterministic layer must not use (clocks, threads, randomness, I/O)."""
import pathlib
import re
import sys

# module -> modules it may include (besides itself)
ALLOWED = {
    "core": set(),
    "chain": {"core"},
    "ledger": {"core", "chain"},
    "consensus": {"core", "chain"},
    "contracts": {"core", "chain"},
    "network": {"core", "chain"},
    "mempool": {"core", "chain"},
    "execution": {"core", "chain", "ledger", "contracts"},
    "sim": {"core", "chain", "ledger", "consensus", "contracts", "execution"},
    "node": {"core", "chain", "ledger", "consensus", "contracts", "network", "execution", "mempool"},
    "wallet-cli": {"core", "chain"},
    "explorer": {"core", "chain"},
    "loadgen": {"core", "chain", "contracts"},
}
# The include folder name of each module (bauhinia/<name>/...).
INCLUDE_NAME = {m: m.replace("-cli", "") for m in ALLOWED}

# Deterministic, I/O-free layers: no clock, thread, randomness, file or network headers.
FORBIDDEN_SYSTEM = {
    "consensus": [r"chrono", r"thread", r"mutex", r"random", r"fstream", r"filesystem",
                  r"boost/", r"leveldb/", r"sys/", r"unistd\.h", r"ctime", r"time\.h"],
    "contracts": [r"chrono", r"thread", r"mutex", r"random", r"fstream", r"filesystem",
                  r"boost/", r"leveldb/", r"sys/", r"unistd\.h", r"ctime", r"time\.h"],
    "execution": [r"chrono", r"thread", r"mutex", r"random", r"fstream", r"filesystem",
                  r"boost/", r"sys/", r"unistd\.h", r"ctime", r"time\.h"],
    "chain": [r"boost/", r"leveldb/", r"thread", r"fstream"],
    "core": [r"boost/", r"leveldb/"],
}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    by_include = {v: k for k, v in INCLUDE_NAME.items()}
    errors = []
    checked = 0
    for module, allowed in ALLOWED.items():
        folder = root / module
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix not in {".hpp", ".cpp", ".h", ".cc"}:
                continue
            checked += 1
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                m = INCLUDE_RE.match(line)
                if not m:
                    continue
                target = m.group(2)
                where = f"{path.relative_to(root)}:{lineno}"
                parts = target.split("/")
                if len(parts) >= 2 and parts[0] == "bauhinia":
                    dep = by_include.get(parts[1])
                    if dep is None:
                        errors.append(f"{where}: unknown module in '{target}'")
                    elif dep != module and dep not in allowed:
                        errors.append(f"{where}: {module} may not include {dep} ('{target}')")
                    continue
                for pattern in FORBIDDEN_SYSTEM.get(module, []):
                    if re.match(pattern, target):
                        errors.append(f"{where}: {module} must not include <{target}>")
    for e in errors:
        print(e)
    print(f"layering: {checked} files checked, {len(errors)} violations")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
