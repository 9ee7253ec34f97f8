#!/usr/bin/env python3
"""Writes a large synthetic monorepo with history, the same every time.

    python3 bench/make-monorepo.py DIR [--files N] [--services N] [--commits N] [--seed N]

DIR becomes a bare git repository (git fast-import; no work tree, so 200,000
files cost seconds, not minutes) holding:

- services at two depths: three quarters under services/<domain>/<name>/, the
  rest under apps/<name>/, each with a buildspec.yml, sources and tests;
- shared libraries under libs/<name>/ that services depend on;
- docs/ and README files the configs ignore, tools/ci/ the configs call global,
  generated files the explicit config excludes;
- svcdiff.yml at the root: discovery (`services/*/*` and `apps/*`) plus a few
  explicit entries, the way a large repository configures it;
- after the first commit, COMMITS commits of mixed sizes: most touch one
  service, some a handful, a few are sweeping refactors or library changes,
  some add or delete files, rare ones touch tools/ci/.

It also writes DIR.explicit.yml (a few hundred services listed by hand, no
discovery) and DIR.dirs (one service directory a line, for the per-service
`git diff --quiet` loop). Deterministic: the same arguments give the same
commit ids.
"""

import argparse
import random
import subprocess
import sys

DOMAINS = 40
LIBRARIES = 50


def blob(text):
    data = text.encode()
    return b"data %d\n%s\n" % (len(data), data)


class Layout:
    def __init__(self, rng, files, services):
        self.rng = rng
        self.services = []  # (name, directory)
        self.libraries = [f"lib{n:03d}" for n in range(LIBRARIES)]
        deep = services * 3 // 4
        for n in range(services):
            if n < deep:
                name = f"svc{n:05d}"
                self.services.append((name, f"services/domain{n % DOMAINS:02d}/{name}"))
            else:
                name = f"app{n:05d}"
                self.services.append((name, f"apps/{name}"))
        self.files = {}  # directory -> list of paths, for picking edits
        budget = files
        service_share = budget * 70 // 100 // max(1, services)
        library_share = budget * 15 // 100 // LIBRARIES
        for _, directory in self.services:
            paths = [f"{directory}/buildspec.yml", f"{directory}/README.md"]
            for i in range(max(2, service_share - 2)):
                kind = rng.random()
                if kind < 0.55:
                    paths.append(f"{directory}/src/pkg{i % 7}/mod{i}.py")
                elif kind < 0.85:
                    paths.append(f"{directory}/tests/test_{i}.py")
                elif kind < 0.95:
                    paths.append(f"{directory}/src/generated/gen{i}.py")
                else:
                    paths.append(f"{directory}/docs/page{i}.md")
            self.files[directory] = paths
        for name in self.libraries:
            directory = f"libs/{name}"
            self.files[directory] = [f"{directory}/package.json"] + [
                f"{directory}/src/part{i % 5}/file{i}.ts" for i in range(max(1, library_share - 1))
            ]
        rest = max(10, budget - sum(len(p) for p in self.files.values()))
        self.files["docs"] = [f"docs/area{i % 30}/page{i}.md" for i in range(rest * 2 // 3)]
        self.files["tools"] = [f"tools/scripts/tool{i}.sh" for i in range(rest // 3)]
        self.files["tools/ci"] = ["tools/ci/pipeline.yml", "tools/ci/common.sh"]
        self.depends = {
            name: sorted(rng.sample(self.libraries, rng.randint(0, 3))) for name, _ in self.services
        }

    def config(self):
        lines = [
            "# svcdiff.yml of the synthetic benchmark monorepo (bench/make-monorepo.py)",
            "version: 1",
            "discover:",
            '  - {glob: "services/*/*", require: buildspec.yml}',
            '  - {glob: "apps/*", require: buildspec.yml}',
            'ignore: ["docs/", "**/*.md"]',
            'global: ["tools/ci/"]',
            "services:",
        ]
        for name, directory in self.services[:20]:
            deps = ", ".join(self.depends[name])
            lines.append(f"  {name}:")
            lines.append(f'    exclude: ["{directory}/src/generated/"]')
            if deps:
                lines.append(f"    vars: {{LIBS: \"{deps}\"}}")
        return "\n".join(lines) + "\n"

    def explicit_config(self, count):
        lines = [
            "# A hand-written config: services listed one by one, no discovery",
            "version: 1",
            'ignore: ["docs/", "**/*.md"]',
            'global: ["tools/ci/"]',
            "services:",
        ]
        for name in self.libraries:
            lines.append(f"  {name}:")
            lines.append(f'    paths: ["libs/{name}/"]')
            lines.append("    build: false")
        for n, (name, directory) in enumerate(self.services[:count]):
            lines.append(f"  {name}:")
            lines.append(f'    paths: ["{directory}/"]')
            if n % 5 == 0:
                lines.append(f'    exclude: ["{directory}/src/generated/"]')
            if self.depends[name]:
                lines.append(f"    depends_on: [{', '.join(self.depends[name])}]")
        return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--files", type=int, default=200_000)
    parser.add_argument("--services", type=int, default=2_000)
    parser.add_argument("--commits", type=int, default=1_000)
    parser.add_argument("--explicit", type=int, default=300, help="services in DIR.explicit.yml")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    layout = Layout(rng, args.files, args.services)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", args.dir], check=True)
    importer = subprocess.Popen(
        ["git", "-C", args.dir, "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE
    )
    out = importer.stdin
    when = 1_700_000_000

    # fast-import continues refs/heads/main from its previous commit.
    def commit(message, changes):
        nonlocal when
        when += 3600
        out.write(b"commit refs/heads/main\n")
        out.write(b"committer bench <bench@example.com> %d +0000\n" % when)
        out.write(blob(message))
        for change in changes:
            out.write(change)

    def modify(path, text):
        return b"M 100644 inline " + path.encode() + b"\n" + blob(text)

    first = [modify("svcdiff.yml", layout.config())]
    first.append(modify("buildspec.yml", "version: 0.2\n"))
    for _, directory in layout.services:
        for path in layout.files[directory]:
            body = "version: 0.2\nphases:\n  build:\n    commands: [make]\n"
            first.append(modify(path, body if path.endswith("buildspec.yml") else f"# {path}\n"))
    for key in ["docs", "tools", "tools/ci"] + [f"libs/{n}" for n in layout.libraries]:
        for path in layout.files[key]:
            first.append(modify(path, f"// {path}\n"))
    commit("the monorepo as imported", first)

    service_dirs = [d for _, d in layout.services]
    for n in range(args.commits):
        roll = rng.random()
        if roll < 0.70:
            touched = [rng.choice(service_dirs)]
            per = rng.randint(1, 3)
        elif roll < 0.90:
            touched = rng.sample(service_dirs, rng.randint(2, 5))
            per = rng.randint(1, 6)
        elif roll < 0.96:
            touched = [f"libs/{rng.choice(layout.libraries)}"] + rng.sample(service_dirs, 3)
            per = rng.randint(5, 20)
        elif roll < 0.985:
            touched = rng.sample(service_dirs, rng.randint(50, 200))
            per = 2
        elif roll < 0.997:
            touched = ["docs"]
            per = rng.randint(1, 10)
        else:
            touched = ["tools/ci"]
            per = 1
        changes = []
        for directory in touched:
            paths = layout.files[directory]
            for path in rng.sample(paths, min(per, len(paths))):
                changes.append(modify(path, f"# {path}\n# change {n}\n"))
            if directory in service_dirs and rng.random() < 0.05:
                added = f"{directory}/src/new/added{n}.py"
                paths.append(added)
                changes.append(modify(added, f"# added in {n}\n"))
            if directory in service_dirs and rng.random() < 0.03 and len(paths) > 4:
                victim = paths.pop(rng.randrange(2, len(paths)))
                changes.append(b"D " + victim.encode() + b"\n")
        commit(f"change {n}", changes)
    out.write(b"done\n")
    out.close()
    if importer.wait() != 0:
        sys.exit("make-monorepo: git fast-import failed")
    # Packed as a server packs a clone, not as fast-import left it: -f
    # computes the deltas again, so the newest version of a tree is a whole
    # object and older ones are deltas against it. Without it, repack keeps
    # fast-import's deltas, each version against the one before, and a tree
    # changed by many commits sits some 40 deltas deep at HEAD (half the 40
    # domain trees did). In a clone of babel/babel, 82% of HEAD's trees are
    # whole objects and none is more than 3 deltas down.
    subprocess.run(["git", "-C", args.dir, "repack", "-adfq"], check=True)

    with open(args.dir.rstrip("/") + ".explicit.yml", "w") as f:
        f.write(layout.explicit_config(args.explicit))
    with open(args.dir.rstrip("/") + ".dirs", "w") as f:
        f.write("".join(d + "\n" for d in service_dirs))


if __name__ == "__main__":
    main()
