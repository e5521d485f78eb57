#!/usr/bin/env python3
"""Fails if any test can skip: ctest counts a GTEST_SKIP (inside a passing
binary) or an exit code 77 (without SKIP_RETURN_CODE, a failure; with it, a
skip) as something other than a failure, so a test that cannot run its check
would quietly stop checking. A missing prerequisite must fail instead; a long
variant runs a shorter version by default (BAUHINIA_LONG=1 for the long one)."""
import pathlib
import re
import sys

PATTERNS = [re.compile(p) for p in (r"\bGTEST_SKIP\b", r"\bexit\(\s*77\s*\)",
                                     r"\bSKIP_RETURN_CODE\b", r"\bSKIP_REGULAR_EXPRESSION\b",
                                     r"\bpytest\.skip\b", r"\bunittest\.skip")]
SUFFIXES = {".cpp", ".hpp", ".h", ".py", ".sh", ".txt", ".cmake"}


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    me = pathlib.Path(__file__).resolve()
    checked = 0
    errors = []
    for folder in ("tests", "cmake", "fuzz"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in SUFFIXES or not path.is_file() or path.resolve() == me:
                continue
            checked += 1
            for lineno, line in enumerate(path.read_text(encoding="utf-8",
                                                         errors="replace").splitlines(), 1):
                if any(p.search(line) for p in PATTERNS):
                    errors.append(f"{path.relative_to(root)}:{lineno}: a skip path: {line.strip()}")
    for e in errors:
        print(e)
    print(f"skips: {checked} files checked, {len(errors)} skip paths")
    if checked == 0:
        print("no test files found: wrong root?")
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
