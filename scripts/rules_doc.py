#!/usr/bin/env python3
"""Writes docs/rules.md: every rule ID of the specification digest with its
level, a one-line summary and how the engine covers it.

    python3 scripts/rules_doc.py [DIGEST_DIR]

DIGEST_DIR defaults to $DCR_SPEC_DIR, else the first of ../shared/spec and
../../shared/spec (relative to the repository) that exists.

Status of each rule, in this order:
1. a row in scripts/rule_status.tsv (`host`, `n/a`, `policy switch`, or
   `enforced` with a note);
2. a rule named in the doc comment of a `policy.checks` switch
   (src/metadata/checks.rs) -> `policy switch` with the switch name;
3. a rule cited anywhere in src/ -> `enforced`, with the citing files.
A rule matching none of these stops the script: classify it first.
tests/rules_doc.rs checks the result against src/ and the digest."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ID_RE = re.compile(r"^[A-Z0-9]+-[A-Z0-9]+-[0-9]{2}$")
CELL_SPLIT = re.compile(r"(?<!\\)\|")


def digest_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("DCR_SPEC_DIR"):
        return os.environ["DCR_SPEC_DIR"]
    for cand in (os.path.join(ROOT, "..", "shared", "spec"), os.path.join(ROOT, "..", "..", "shared", "spec")):
        if os.path.isdir(cand):
            return os.path.normpath(cand)
    sys.exit("digest not found: pass its directory or set DCR_SPEC_DIR")


def read_digest(d):
    """[(file, [(id, level, rule_text)])] in README file order."""
    readme = open(os.path.join(d, "README.md"), encoding="utf-8").read()
    files = [f for f in re.findall(r"\]\(([a-z0-9-]+\.md)\)", readme)]
    files = list(dict.fromkeys(files))
    out = []
    for f in files:
        rows = []
        for line in open(os.path.join(d, f), encoding="utf-8"):
            if not line.startswith("| "):
                continue
            cells = [c.strip() for c in CELL_SPLIT.split(line.strip())[1:-1]]
            if len(cells) >= 3 and ID_RE.match(cells[0]):
                rows.append((cells[0], cells[1], cells[2]))
        if rows:
            out.append((f, rows))
    return out


def summary(text):
    """First sentence of the rule, at most 200 characters, table-safe."""
    m = re.match(r"(.+?(?<!e\.g)(?<!i\.e)\.)(\s|$)", text)
    s = m.group(1) if m else text
    if len(s) > 200:
        s = s[:197].rsplit(" ", 1)[0] + "..."
    return s


def src_citations():
    cites = {}
    for base, _, names in os.walk(os.path.join(ROOT, "src")):
        for n in sorted(names):
            if not n.endswith(".rs"):
                continue
            path = os.path.join(base, n)
            rel = os.path.relpath(path, ROOT)
            text = open(path, encoding="utf-8").read()
            # unit-test modules cite rules they test, not checks they make
            text = text.split("#[cfg(test)]\nmod tests")[0]
            for rid in set(re.findall(r"\b[A-Z0-9]+-[A-Z0-9]+-[0-9]{2}\b", text)):
                cites.setdefault(rid, set()).add(rel)
    return cites


def switches():
    """rule ID -> [`checks.<field>`] from the MetadataChecks doc comments."""
    out = {}
    doc = []
    for line in open(os.path.join(ROOT, "src", "metadata", "checks.rs"), encoding="utf-8"):
        s = line.strip()
        if s.startswith("///"):
            doc.append(s)
            continue
        m = re.match(r"pub ([a-z_]+):", s)
        if m:
            for rid in re.findall(r"\b[A-Z0-9]+-[A-Z0-9]+-[0-9]{2}\b", " ".join(doc)):
                out.setdefault(rid, []).append(f"`checks.{m.group(1)}`")
        doc = []
    return out


def overrides():
    out = {}
    for line in open(os.path.join(ROOT, "scripts", "rule_status.tsv"), encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        rid, status, note = line.rstrip("\n").split("\t")
        assert status in ("enforced", "policy switch", "host", "n/a"), (rid, status)
        out[rid] = (status, note)
    return out


def files_cell(files):
    return ", ".join(f"`{f}`" for f in sorted(files))


def main():
    d = digest_dir()
    digest = read_digest(d)
    cites, sw, ov = src_citations(), switches(), overrides()
    all_ids = [rid for _, rows in digest for rid, _, _ in rows]
    unknown = sorted(set(ov) - set(all_ids))
    if unknown:
        sys.exit(f"scripts/rule_status.tsv names rules the digest does not have: {unknown}")
    lines, counts, missing = [], {}, []
    for f, rows in digest:
        lines.append(f"\n## {f}\n")
        lines.append("| rule | level | summary | status |")
        lines.append("| --- | --- | --- | --- |")
        for rid, level, text in rows:
            where = cites.get(rid)
            if rid in ov:
                status, note = ov[rid]
                if status in ("enforced", "policy switch") and where:
                    cell = f"{status}: {note}; {files_cell(where)}"
                else:
                    cell = f"{status}: {note}"
            elif rid in sw and where:
                status = "policy switch"
                cell = f"policy switch: {', '.join(sw[rid])}; {files_cell(where)}"
            elif where:
                status = "enforced"
                cell = f"enforced: {files_cell(where)}"
            else:
                missing.append(rid)
                continue
            counts[status] = counts.get(status, 0) + 1
            lines.append(f"| {rid} | {level} | {summary(text)} | {cell} |")
    if missing:
        sys.exit(f"rules neither cited in src/ nor classified in scripts/rule_status.tsv: {missing}")
    head = [
        "# Rule coverage",
        "",
        "Every rule of the specification digest (`shared/spec/`), with how this",
        "engine covers it. Generated by `python3 scripts/rules_doc.py` from the",
        "digest tables, the rule IDs cited in `src/` and `scripts/rule_status.tsv`;",
        "`tests/rules_doc.rs` fails when this file drifts from `src/` or the digest.",
        "",
        "Status:",
        "",
        "- `enforced`: the engine checks it; the files cite the rule ID next to the check.",
        "- `policy switch`: the engine checks it as configured by the named policy setting.",
        "- `host`: the host (the authorization server around the engine) must do it.",
        "- `n/a`: nothing to enforce at registration (informative, or deliberately unsupported).",
        "",
        f"{len(all_ids)} rules: " + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("enforced", "policy switch", "host", "n/a")) + ".",
    ]
    out = "\n".join(head + lines) + "\n"
    with open(os.path.join(ROOT, "docs", "rules.md"), "w", encoding="utf-8") as fh:
        fh.write(out)
    print(f"docs/rules.md: {len(all_ids)} rules from {d}: {counts}")


main()
