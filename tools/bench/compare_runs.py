#!/usr/bin/env python3
"""compare_runs.py: two or more `pathx bench --json` reports of the same
benchmark side by side, as Markdown, with the spread between the runs.

    tools/bench/compare_runs.py [--kinds orm,orm-non-selective] [--title T]
                                run1.json run2.json [...] > results.md

One run's ratio is noise-prone on a shared machine; printing every run's
ratio and their spread (largest / smallest - 1) shows which differences
are real.  Latencies are the mean of the runs' medians; ratios (speedups
against the seq scan, jsonb_pathx_ops / btree, planning on / off) are per
run, in run order.  Targets are listed with each run's verdict.  Only the
queries of the given kinds (default: all) are shown; the report writer in
tools/pathx/src/bench/report_writers.cpp is the authority on what each
field means.
"""
import argparse
import json
import sys


def fmt_ms(v):
    if v is None:
        return "-"
    return "%.3f" % v if v < 1 else "%.2f" % v if v < 100 else "%.1f" % v


def fmt_ratio(v):
    if v is None:
        return "-"
    return "%.0fx" % v if v >= 100 else "%.1fx" % v if v >= 10 else "%.2fx" % v


def spread(values):
    values = [v for v in values if v]
    if len(values) < 2:
        return "-"
    return "%.0f%%" % (100 * (max(values) / min(values) - 1))


def per_run(values):
    return " / ".join(fmt_ratio(v) for v in values) + " (" + spread(values) + ")"


def norm(kind):
    """"orm-non-selective" (query files) and "orm non-selective" (JSON) alike."""
    return kind.strip().replace("-", " ")


def strategy(report, name):
    for s in report["strategies"]:
        if s["name"] == name:
            return s
    return None


def result(report, name, query):
    s = strategy(report, name)
    return s["queries"].get(query) if s else None


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kinds", default="",
                    help="comma-separated query kinds to show (query-file spelling), default all")
    ap.add_argument("--title", default="pathx bench: runs side by side")
    ap.add_argument("reports", nargs="+")
    args = ap.parse_args()
    reports = []
    for path in args.reports:
        with open(path) as f:
            reports.append(json.load(f))
    kinds = {norm(k) for k in args.kinds.split(",") if k.strip()}
    first = reports[0]
    queries = [q for q in first["queries"] if not kinds or norm(q["kind"]) in kinds]
    names = [s["name"] for s in first["strategies"]]
    cols = [n for n in ["seq", "jsonb_ops", "jsonb_path_ops", "jsonb_pathx_ops", "btree"] if n in names]
    n = len(reports)
    out = sys.stdout

    out.write("# %s\n\n" % args.title)
    settings = ", ".join("%s=%s" % kv for kv in sorted(first["settings"].items()))
    out.write("%d runs of `pathx bench` on %s documents (%s), %.0f bytes on average as stored; "
              "PostgreSQL %s, %s. Each run: median of %d timed runs per query and strategy after a "
              "warm-up, interleaved across strategies; planning: median of %s EXPLAIN (SUMMARY).\n\n"
              % (n, "{:,}".format(first["rows"]), first["data"], first["avg_doc_bytes"],
                 first["server_version"].split(" ")[0], settings, first["runs"],
                 first.get("plan_runs", "-")))

    out.write("## Latency\n\n")
    out.write("ms: mean of the runs' medians; idx/seq: whether the plan used the strategy's index "
              "(run 1). Ratios per run (run 1 / run 2 ...) and their spread.\n\n")
    head = ["query", "SQL condition", "rows"] + [("seq scan" if c == "seq" else c) + " ms" for c in cols] + \
        ["speedup vs seq scan", "jsonb_pathx_ops / btree"]
    out.write("| " + " | ".join(head) + " |\n|" + "---|" * 2 + "---:|" * (len(head) - 2) + "\n")
    for q in queries:
        name = q["name"]
        seq0 = result(first, "seq", name)
        cells = []
        for c in cols:
            rs = [result(r, c, name) for r in reports]
            if not rs[0]:
                cells.append("-")
                continue
            cell = fmt_ms(mean([x["median_ms"] for x in rs if x]))
            if c != "seq":
                cell += " idx" if rs[0]["index_used"] else " seq"
            cells.append(cell)
        vs_seq = []
        vs_btree = []
        for r in reports:
            s, p, b = result(r, "seq", name), result(r, "jsonb_pathx_ops", name), result(r, "btree", name)
            vs_seq.append(s["median_ms"] / p["median_ms"] if s and p else None)
            vs_btree.append(p["median_ms"] / b["median_ms"] if p and b else None)
        line = ["`%s`" % name, "`" + q["sql"].replace("|", "\\|") + "`",
                str(seq0["count"]) if seq0 else "?"] + cells + [
            per_run(vs_seq) if any(vs_seq) else "-", per_run(vs_btree) if any(vs_btree) else "-"]
        out.write("| " + " | ".join(line) + " |\n")

    if any(r.get("planning") for r in reports):
        out.write("\n## Planning time\n\n")
        out.write("Median \"Planning Time\" of EXPLAIN (SUMMARY), ms (mean of the runs), on the "
                  "jsonb_pathx_ops table with `jsonb_pathx.application_forms` on (the default) and "
                  "off, and of the btree: form on the B-tree table; idx/seq: whether that plan uses "
                  "the jsonb_pathx_ops index. Ratios per run and their spread.\n\n")
        head = ["query", "on ms", "off ms", "on / off", "btree ms", "on / btree"]
        out.write("| " + " | ".join(head) + " |\n|---|" + "---:|" * (len(head) - 1) + "\n")
        for q in queries:
            ps = [r.get("planning", {}).get(q["name"]) for r in reports]
            if not ps[0]:
                continue
            on = mean([p["on_ms"] for p in ps if p])
            off = mean([p["off_ms"] for p in ps if p])
            bt = mean([p["btree_ms"] for p in ps if p and p["btree_ms"] is not None])
            ratio = [p["on_ms"] / p["off_ms"] if p and p["off_ms"] else None for p in ps]
            vs_bt = [p["on_ms"] / p["btree_ms"] if p and p["btree_ms"] else None for p in ps]
            out.write("| `%s` | %s %s | %s %s | %s | %s | %s |\n" % (
                q["name"], fmt_ms(on), "idx" if ps[0]["index_used_on"] else "seq", fmt_ms(off),
                "idx" if ps[0]["index_used_off"] else "seq", per_run(ratio), fmt_ms(bt),
                per_run(vs_bt) if any(vs_bt) else "-"))

    out.write("\n## Targets\n\n")
    shown = {q["name"] for q in queries}
    head = ["target"] + ["run %d" % (i + 1) for i in range(n)]
    out.write("| " + " | ".join(head) + " |\n|---|" + "---|" * n + "\n")
    for t in first["targets"]:
        if kinds and not any(t["target"].startswith(name + " ") for name in shown):
            continue
        cells = []
        for r in reports:
            m = [x for x in r["targets"] if x["target"] == t["target"]]
            cells.append("%s %s" % (m[0]["status"].upper(), m[0]["measured"]) if m else "-")
        out.write("| %s | %s |\n" % (t["target"].replace("|", "\\|"), " | ".join(cells)))
    mismatches = sum(len(r["count_mismatches"]) for r in reports)
    out.write("\nCount mismatches between strategies: %d.\n" % mismatches)


if __name__ == "__main__":
    main()
