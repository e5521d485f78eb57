#!/usr/bin/env python3
"""Checks every #include in the project's modules against the dependency direction
of docs/architecture.md. The build already refuses most violations (each target
exports only its own include/ folder); this check also catches system headers
that a deterministic layer must not use (clocks, threads, randomness, I/O)."""
import os
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
    "lightclient": {"core", "chain", "contracts"},
    "wallet-cli": {"core", "chain", "contracts", "lightclient"},
    "explorer": {"core", "chain", "contracts", "lightclient"},
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
SUFFIXES = {".hpp", ".cpp", ".h", ".cc"}
# Top-level folders the build adds that are not modules of the layering.
NOT_MODULES = {"tests", "bench", "fuzz"}
# add_subdirectory(<folder>) or add_subdirectory(<folder> ${BAUHINIA_SUBDIR_MODE}).
SUBDIR_RE = re.compile(r"^\s*add_subdirectory\(\s*([A-Za-z0-9_-]+)(?:\s+\$\{[A-Z_]+\})?\s*\)", re.M)


def built_modules(root: pathlib.Path) -> set:
    """The modules the top-level CMakeLists.txt builds (empty if it is missing)."""
    cmake = root / "CMakeLists.txt"
    if not cmake.is_file():
        return set()
    return set(SUBDIR_RE.findall(cmake.read_text(encoding="utf-8"))) - NOT_MODULES


def count_sources(folder: pathlib.Path) -> int:
    """An independent count of the source files under `folder` (os.walk, not rglob)."""
    return sum(1 for _, _, files in os.walk(folder) for f in files
               if os.path.splitext(f)[1] in SUFFIXES)


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    by_include = {v: k for k, v in INCLUDE_NAME.items()}
    errors = []
    checked = 0
    expected = 0
    # A check that looked at nothing proves nothing: every module the build adds
    # must be known here, exist, hold sources, and every source must be read.
    built = built_modules(root)
    if not built:
        errors.append(f"{root}/CMakeLists.txt: no modules found (wrong root?)")
    for module in sorted(built - set(ALLOWED)):
        errors.append(f"{module}: built but not in ALLOWED (add its dependency rule)")
    for module, allowed in ALLOWED.items():
        folder = root / module
        if not folder.is_dir():
            if module in built:
                errors.append(f"{module}: built but its folder is missing")
            continue
        module_files = count_sources(folder)
        expected += module_files
        if module_files == 0:
            errors.append(f"{module}: no source files found")
        for path in sorted(folder.rglob("*")):
            if path.suffix not in SUFFIXES or not path.is_file():
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
    if checked < expected:
        errors.append(f"checked {checked} of {expected} source files")
    for e in errors:
        print(e)
    print(f"layering: {checked} of {expected} files checked, {len(errors)} violations")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
