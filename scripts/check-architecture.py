#!/usr/bin/env python3
"""The invariants of docs/ARCHITECTURE.md that a reading of the source can check.

1. No module cycle in any crate: the `use crate::…` and `crate::…` paths between the files
   of one crate's `src/` form no circle (a parent declaring its children with `mod` is not
   an import).
2. A rule module of portal-core never imports a use case.
3. No handler reaches a port: outside `lib.rs` (where the state is wired), portal-http names
   no port trait of `portal_core::ports` and no `.ports` field.
4. One status table per surface: in portal-http only `errors.rs` turns a
   `portal_core::Error` into a status (no other function returns a `StatusCode`, no other
   line names an `Error::` variant together with a `StatusCode::`).
5. No source file over 850 lines without a written reason in `scripts/long-files.txt`.

Exits non-zero with every violation listed.
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRATES = [p.parent for p in ROOT.glob("*/*/Cargo.toml") if (p.parent / "src").is_dir()]
MAX_LINES = 850
problems = []


def module_of(src: pathlib.Path, f: pathlib.Path) -> tuple:
    parts = list(f.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def crate_graph(src: pathlib.Path):
    files = {module_of(src, f): f for f in src.rglob("*.rs")}
    edges = {m: set() for m in files}
    for m, f in files.items():
        text = f.read_text()
        text = re.sub(r"(?s)#\[cfg\(test\)\]\s*mod tests \{.*", "", text)
        # Doc links and comments are not imports.
        text = re.sub(r"(?m)//.*$", "", text)
        paths = set(re.findall(r"\bcrate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)", text))
        for group in re.findall(r"\buse crate::\{([^;]*)\};", text):
            for item in re.split(r",\s*", group):
                paths.add(item.strip().split("::{")[0])
        for p in paths:
            segs = tuple(p.split("::"))
            # The longest prefix that is a file of this crate.
            for n in range(len(segs), 0, -1):
                if segs[:n] in files:
                    target = segs[:n]
                    if target != m and target != m[: len(target)]:
                        edges[m].add(target)
                    break
    return files, edges


def cycles(edges):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in edges:
        if v not in index:
            visit(v)
    return out


def name(m):
    return "::".join(m) or "crate root"


for crate in sorted(CRATES):
    files, edges = crate_graph(crate / "src")
    for comp in cycles(edges):
        problems.append(
            f"{crate.name}: module cycle between {', '.join(sorted(name(m) for m in comp))}"
        )
    if crate.name == "portal-core":
        for m, targets in edges.items():
            if m and m[0] != "usecases":
                for t in targets:
                    if t and t[0] == "usecases":
                        problems.append(f"portal-core: rule module {name(m)} imports {name(t)}")

ports = (ROOT / "crates/portal-core/src/ports.rs").read_text()
port_traits = re.findall(r"^pub trait (\w+)", ports, re.M)
http = ROOT / "adapters/portal-http/src"
for f in sorted(http.rglob("*.rs")):
    rel = f.relative_to(ROOT)
    text = f.read_text()
    if f.name != "lib.rs":
        for t in port_traits:
            if re.search(rf"\b{t}\b", text):
                problems.append(f"{rel}: names the port {t} (handlers call use cases)")
        if re.search(r"\.ports\b", text):
            problems.append(f"{rel}: reaches the ports")
    if f.name != "errors.rs":
        for n, line in enumerate(text.splitlines(), 1):
            if re.search(r"\)\s*->\s*(actix_web::http::)?StatusCode\b", line):
                problems.append(f"{rel}:{n}: a function returning a status outside errors.rs")
            if "StatusCode::" in line and re.search(r"\bError::[A-Z]", line):
                problems.append(f"{rel}:{n}: an Error mapped to a status outside errors.rs")

reasons = {}
allow = ROOT / "scripts/long-files.txt"
for line in allow.read_text().splitlines():
    if line.strip() and not line.startswith("#"):
        path, _, why = line.partition(":")
        if not why.strip():
            problems.append(f"scripts/long-files.txt: {path} has no reason")
        reasons[path.strip()] = why.strip()
for crate in CRATES:
    for f in (crate / "src").rglob("*.rs"):
        rel = str(f.relative_to(ROOT))
        n = len(f.read_text().splitlines())
        if n > MAX_LINES and rel not in reasons:
            problems.append(f"{rel}: {n} lines (over {MAX_LINES}) without a reason in scripts/long-files.txt")
for rel in reasons:
    f = ROOT / rel
    if not f.exists() or len(f.read_text().splitlines()) <= MAX_LINES:
        problems.append(f"scripts/long-files.txt: {rel} is no longer long; remove it from the list")

if problems:
    print("architecture invariants broken:", file=sys.stderr)
    for p in problems:
        print("  " + p, file=sys.stderr)
    sys.exit(1)
print(
    f"architecture: {len(CRATES)} crates without module cycles, handlers without ports, "
    f"one status table per surface, {len(reasons)} long files with a reason"
)
