#!/usr/bin/env python3
"""clang-tidy over the given sources, skipping the ones known clean.

A file is known clean when clang-tidy once found nothing in it and nothing
it sees has changed since: the key is a hash of its preprocessed text with
comments kept (so every header it includes and every NOLINT count), its
compile flags, the clang-tidy version and every .clang-tidy file. CI runs
this on every commit; without the cache the tests alone take about ten
minutes of a 2-core machine.

Usage: tidy.py BUILD_DIR FILE...   (exit 1 when clang-tidy reports anything)
"""
import concurrent.futures
import hashlib
import json
import os
import pathlib
import shlex
import subprocess
import sys


def cache_dir():
    base = os.environ.get("SVCDIFF_TIDY_CACHE")
    if base:
        return pathlib.Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return pathlib.Path(xdg) / "svcdiff-tidy"


def preprocess_args(entry):
    """The file's compile command as a clang -E -C command."""
    args = entry.get("arguments") or shlex.split(entry["command"])
    out = ["clang++-14"]
    skip = False
    for arg in args[1:]:
        if skip:
            skip = False
            continue
        if arg in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if arg in ("-c", "-MD", "-MMD") or arg == entry["file"]:
            continue
        out.append(arg)
    return out + ["-E", "-C", entry["file"]]


def key_of(entry, config_hash, root):
    """The hash of what clang-tidy sees, with the checkout's path left out so
    a fresh clone finds what another clone learnt."""
    args = preprocess_args(entry)
    text = subprocess.run(args, cwd=entry["directory"], capture_output=True, check=False)
    if text.returncode != 0:
        return None  # let clang-tidy say what is wrong
    digest = hashlib.sha256(config_hash.encode())
    digest.update(json.dumps(args).replace(root, "<root>").encode())
    digest.update(text.stdout.replace(root.encode(), b"<root>"))
    return digest.hexdigest()


def main():
    build, files = sys.argv[1], sys.argv[2:]
    root = pathlib.Path(__file__).resolve().parent.parent
    entries = {os.path.realpath(e["file"]): e
               for e in json.load(open(os.path.join(build, "compile_commands.json")))}
    version = subprocess.run(["clang-tidy", "--version"], capture_output=True, text=True).stdout
    configs = sorted(str(p) for p in root.rglob(".clang-tidy") if "node_modules" not in p.parts)
    config_hash = version + "".join(pathlib.Path(c).read_text() for c in configs)
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)

    def check(name):
        entry = entries.get(os.path.realpath(root / name))
        key = key_of(entry, config_hash, str(root)) if entry else None
        if key and (cache / key).exists():
            return name, True, ""
        result = subprocess.run(["clang-tidy", "-p", build, "--quiet", str(root / name)],
                                capture_output=True, text=True, check=False)
        clean = result.returncode == 0 and "warning:" not in result.stdout \
            and "error:" not in result.stdout
        if clean and key:
            (cache / key).touch()
        return name, False, "" if clean else result.stdout + result.stderr

    jobs = os.cpu_count() or 2
    failed, cached = [], 0
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for name, was_cached, report in pool.map(check, files):
            cached += was_cached
            if report:
                sys.stdout.write(report)
                failed.append(name)
    print(f"tidy: {len(files)} files, {cached} known clean, {len(failed)} with findings",
          file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
