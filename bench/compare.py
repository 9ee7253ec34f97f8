#!/usr/bin/env python3
"""svcdiff against git on one monorepo, in one run, as ratios.

    python3 bench/compare.py [--repo DIR] [--svcdiff [LABEL=]PATH]... [--runs N]

For each range (HEAD~N..HEAD) it times, interleaved round by round so a busy
machine slows every command alike:

- `git diff --name-only --no-renames` (what the ratios divide by);
- `svcdiff changed` with the repository's svcdiff.yml (discovery), in the
  `services` and `items` formats, and `svcdiff explain`, each twice: cold
  (SVCDIFF_NO_CACHE=1: a fresh clone, what a CodeBuild project without a
  cache pays) and warm (the result cache a run at the range's base wrote,
  put back before every run through SVCDIFF_CACHE_DIR: the previous
  pipeline run's, kept by the buildspec's cache section, or a hand run's);
- `svcdiff changed` with DIR.explicit.yml (a few hundred services by hand),
  cold and warm (the cache then holds the config parsed: no yaml-cpp);
- once, the loop people write instead: one `git diff --quiet` per service;

and `svcdiff --version` against `git --version`. It prints medians of wall
time (and of CPU time, which a loaded machine disturbs less), ratios to git,
their geometric means, and peak RSS from /usr/bin/time -v (the kernel's
figure from wait4 when /usr/bin/time is missing). Give --svcdiff more than
once (before=...,after=...) to compare builds in the same run.

Without --repo it generates one with bench/make-monorepo.py (--files,
--services, --commits) in a temporary directory. Never pass/fail on time:
the exit status only says whether every command ran and agreed.
"""

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# What a fresh clone pays: no result cache read or written.
COLD = {"SVCDIFF_NO_CACHE": "1"}


def run_once(argv, cwd, env=None):
    """Runs argv with stdout/stderr to /dev/null: (wall s, cpu s, maxrss KB, status)."""
    actions = [
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ]
    start = time.perf_counter()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        pid = os.posix_spawnp(argv[0], argv, {**os.environ, **(env or {})},
                              file_actions=actions)
    finally:
        os.chdir(old)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def peak_rss_kb(argv, cwd, env=None):
    """Peak RSS as /usr/bin/time -v reports it."""
    if not os.path.exists("/usr/bin/time"):
        return run_once(argv, cwd, env)[2]
    done = subprocess.run(["/usr/bin/time", "-v"] + argv, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    for line in done.stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1])
    return 0


def output_of(argv, cwd):
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=True).stdout


class Timer:
    """Interleaved rounds over named commands; medians per command."""

    def __init__(self, cwd, runs):
        self.cwd, self.runs = cwd, runs
        self.commands = {}
        self.samples = {}

    def add(self, key, argv, expect=0, env=None, prepare=None):
        """`prepare`, when given, runs untimed before every run of the command."""
        self.commands[key] = (argv, expect, env, prepare or (lambda: None))

    def run(self):
        for argv, expect, env, prepare in self.commands.values():  # warm the page cache
            prepare()
            code = run_once(argv, self.cwd, env)[3]
            if code != expect:
                sys.exit(f"compare: `{' '.join(argv)}` exited {code}, expected {expect}")
        for _ in range(self.runs):
            for key, (argv, _, env, prepare) in self.commands.items():
                prepare()
                self.samples.setdefault(key, []).append(run_once(argv, self.cwd, env))

    def wall_ms(self, key):
        return statistics.median(s[0] for s in self.samples[key]) * 1000

    def cpu_ms(self, key):
        return statistics.median(s[1] for s in self.samples[key]) * 1000

    def rss_kb(self, key):
        argv, _, env, prepare = self.commands[key]
        prepare()
        return peak_rss_kb(argv, self.cwd, env)


def loop_seconds(repo, base, head, dirs):
    """One `git diff --quiet` a service: what a shell loop costs."""
    start = time.perf_counter()
    for directory in dirs:
        run_once(["git", "diff", "--quiet", base, head, "--", directory], repo)
    return time.perf_counter() - start


def geomean(values):
    values = [v for v in values if v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", help="a repository made by bench/make-monorepo.py")
    parser.add_argument("--svcdiff", action="append", default=[], metavar="[LABEL=]PATH")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--ranges", default="1,10,100,1000")
    parser.add_argument("--loop", choices=["all", "first", "none"], default="first",
                        help="per-service git diff --quiet loop: every range, the 1-commit "
                        "range only (default), or never")
    parser.add_argument("--config", help="the discovering config (default: the repository's "
                        "svcdiff.yml at head)")
    parser.add_argument("--explicit", help="the explicit config (default: REPO.explicit.yml)")
    parser.add_argument("--dirs", help="service directories for the loop (default: REPO.dirs)")
    parser.add_argument("--files", type=int, default=200_000)
    parser.add_argument("--services", type=int, default=2_000)
    parser.add_argument("--commits", type=int, default=1_000)
    args = parser.parse_args()

    binaries = []
    for spec in args.svcdiff or [os.path.join(HERE, "..", "build", "svcdiff")]:
        label, _, path = spec.rpartition("=")
        binaries.append((label or "svcdiff", os.path.abspath(path)))
    for _, path in binaries:
        if not os.access(path, os.X_OK):
            sys.exit(f"compare: no svcdiff at {path}; build it first (bash scripts/build.sh)")

    scratch = None
    repo = args.repo
    if repo is None:
        scratch = tempfile.mkdtemp(prefix="svcdiff-bench-")
        repo = os.path.join(scratch, "repo")
        subprocess.run([sys.executable, os.path.join(HERE, "make-monorepo.py"), repo,
                        "--files", str(args.files), "--services", str(args.services),
                        "--commits", str(args.commits)], check=True)
    repo = os.path.abspath(repo.rstrip("/"))
    explicit = args.explicit or repo + ".explicit.yml"
    discovering = ["-c", os.path.abspath(args.config)] if args.config else []
    with open(args.dirs or repo + ".dirs") as f:
        dirs = f.read().split()

    caches = tempfile.mkdtemp(prefix="svcdiff-bench-caches-")
    try:
        depth = int(output_of(["git", "rev-list", "--count", "HEAD"], repo)) - 1
        ranges = [n for n in (int(r) for r in args.ranges.split(",")) if n <= depth]
        files = len(output_of(["git", "ls-tree", "-r", "--name-only", "HEAD"], repo).splitlines())
        print(f"## {os.path.basename(repo)}: {files:,} files, {len(dirs):,} discovered services, "
              f"{depth:,} commits; {os.cpu_count()} cores; {args.runs} runs a command\n")

        timer = Timer(repo, args.runs)
        timer.add(("version", "git"), ["git", "--version"])
        for label, path in binaries:
            timer.add(("version", label), [path, "--version"])
        head = output_of(["git", "rev-parse", "HEAD"], repo).strip()
        changed_paths = {}
        skipped = []  # (range, label, kind, why)
        for n in ranges:
            base = output_of(["git", "rev-parse", f"HEAD~{n}"], repo).strip()
            diff = ["git", "diff", "--name-only", "--no-renames", base, head]
            changed_paths[n] = len(output_of(diff, repo).splitlines())
            timer.add((n, "git"), diff)
            for index, (label, path) in enumerate(binaries):
                common = [path] + discovering + ["--base", base, "--head", head, "-q"]
                items = common + ["-o", "/dev/null", "--format", "items"]
                # The cache the run at the range's base left: a full discovery
                # there, into a directory of its own, saved and put back
                # before each timed run (a run may rewrite it).
                live = os.path.join(caches, f"{n}-{index}")
                os.makedirs(live)
                run_once([path, "explain"] + discovering + ["--base", base, "--head", base, "-q"],
                         repo, {"SVCDIFF_CACHE_DIR": live})
                modes = [("cold", COLD, None)]
                if os.path.exists(os.path.join(live, "cache")):
                    saved = live + ".saved"
                    shutil.copyfile(os.path.join(live, "cache"), saved)
                    modes.append(("warm", {"SVCDIFF_CACHE_DIR": live},
                                  lambda saved=saved, live=live:
                                  shutil.copyfile(saved, os.path.join(live, "cache"))))
                else:
                    skipped.append((n, label, "warm", "the run at the base wrote no cache"))
                # Above the Step Functions input limit the items format is an
                # error (exit 1) by design: nothing to time.
                items_fit = run_once(items, repo, COLD)[3] == 0
                if not items_fit:
                    skipped.append((n, label, "items", "exits 1: the artifact exceeds the Step "
                                    "Functions input limit"))
                for mode, env, prepare in modes:
                    timer.add((n, label, "services", mode), common + ["-o", "/dev/null"],
                              env=env, prepare=prepare)
                    if items_fit:
                        timer.add((n, label, "items", mode), items, env=env, prepare=prepare)
                    timer.add((n, label, "explain", mode), [path, "explain"] + discovering +
                              ["--base", base, "--head", head, "-q"], env=env, prepare=prepare)
                explicit_run = [path, "-c", os.path.abspath(explicit), "--base", base,
                                "--head", head, "-q", "-o", "/dev/null"]
                timer.add((n, label, "explicit", "cold"), explicit_run, env=COLD)
                # Warm: the cache a run with the explicit config wrote at the
                # base (it holds that config parsed, and no discovery).
                live_explicit = os.path.join(caches, f"{n}-{index}-explicit")
                os.makedirs(live_explicit)
                run_once([path, "explain", "-c", os.path.abspath(explicit), "--base", base,
                          "--head", base, "-q"], repo, {"SVCDIFF_CACHE_DIR": live_explicit})
                kept = os.path.join(live_explicit, "cache")
                if os.path.exists(kept):
                    saved = live_explicit + ".saved"
                    shutil.copyfile(kept, saved)
                    timer.add((n, label, "explicit", "warm"), explicit_run,
                              env={"SVCDIFF_CACHE_DIR": live_explicit},
                              prepare=lambda saved=saved, kept=kept: shutil.copyfile(saved, kept))
                else:
                    skipped.append((n, label, "explicit warm", "the run at the base wrote no "
                                    "cache"))
        timer.run()

        loops = {}
        for i, n in enumerate(ranges):
            if args.loop == "all" or (args.loop == "first" and i == 0):
                base = output_of(["git", "rev-parse", f"HEAD~{n}"], repo).strip()
                loops[n] = loop_seconds(repo, base, head, dirs) * 1000

        git_rss = {n: timer.rss_kb((n, "git")) for n in ranges}
        for label, _ in binaries:
            print(f"### {label}\n")
            print("| range | changed paths | git diff ms | per-service loop ms | command | "
                  "svcdiff ms (cpu ms) | ratio to git | peak RSS KB (git) |")
            print("|---|---|---|---|---|---|---|---|")
            ratios = {(kind, mode): [] for kind in ("services", "items", "explain")
                      for mode in ("cold", "warm")}
            ratios[("explicit", "cold")] = []
            ratios[("explicit", "warm")] = []
            for n in ranges:
                git_ms = timer.wall_ms((n, "git"))
                for kind, mode in ratios:
                    key = (n, label, kind, mode)
                    if key not in timer.commands:
                        continue
                    ratio = timer.wall_ms(key) / git_ms
                    ratios[(kind, mode)].append(ratio)
                    loop = f"{loops[n]:,.0f}" if n in loops and kind == "services" else ""
                    print(f"| {n} commit{'s' if n > 1 else ''} | {changed_paths[n]:,} | "
                          f"{git_ms:.1f} | {loop} | {kind} {mode} | {timer.wall_ms(key):.1f} "
                          f"({timer.cpu_ms(key):.1f}) | {ratio:.2f} | "
                          f"{timer.rss_kb(key):,} ({git_rss[n]:,}) |")
            version = timer.wall_ms(("version", label))
            git_version = timer.wall_ms(("version", "git"))
            print(f"| | | | | `--version` | {version:.2f} | {version / git_version:.2f} "
                  f"(git --version {git_version:.2f} ms) | |")
            print()
            for (kind, mode), values in ratios.items():
                if values:
                    print(f"- {label} {kind} {mode}: geometric mean {geomean(values):.2f}x git, "
                          f"worst {max(values):.2f}x")
            for n, skipped_label, kind, why in skipped:
                if skipped_label == label:
                    print(f"- {label} {kind}, {n} commits: not timed ({why})")
            print()
    finally:
        shutil.rmtree(caches, ignore_errors=True)
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
