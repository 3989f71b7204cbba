"""The agreement report (team/agreement.py) as a table for people, JSON or CSV for tools."""

from __future__ import annotations

import csv
import io
import json

TOP_DOCUMENTS = 10  # lowest-agreement documents the table shows


def render(report: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return to_csv(report)
    if fmt == "table":
        return to_table(report)
    raise ValueError(f"unknown format {fmt!r}: table, json or csv")


def num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def rows(report: dict) -> list[tuple[str, str, str, str, float | None]]:
    """(scope, annotators, label, metric, value): every figure of the report, one per row."""
    out = []
    for metric, value in report["overall"].items():
        out.append(("overall", "", "", metric, value))
    for lab in report["per_label"]:
        for metric in ("span_f1_exact", "span_f1_overlap", "kappa", "alpha"):
            out.append(("label", "", lab["label"], metric, lab[metric]))
    for pair in report["per_pair"]:
        who = "|".join(pair["annotators"])
        for metric in ("span_f1_exact", "span_f1_overlap", "kappa", "structure_f1"):
            out.append(("pair", who, "", metric, pair[metric]))
        for lab, figures in pair["per_label"].items():
            for metric, value in figures.items():
                out.append(("pair_label", who, lab, metric, value))
    for family in report["structure"]:
        out.append(("structure", "", family["kind"], "f1", family["f1"]))
        for pair in family["per_pair"]:
            out.append(("structure_pair", "|".join(pair["annotators"]), family["kind"], "f1",
                        pair["f1"]))
    for doc in report["documents_by_agreement"]:
        for metric in ("span_f1_exact", "span_f1_overlap", "structure_f1"):
            out.append(("document", "|".join(doc["annotators"]), str(doc["doc_id"]), metric,
                        doc[metric]))
    return out


def to_csv(report: dict) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["scope", "annotators", "label", "metric", "value"])
    for scope, who, label, metric, value in rows(report):
        writer.writerow([scope, who, label, metric, "" if value is None else value])
    return buf.getvalue()


def to_table(report: dict) -> str:
    o = report["overall"]
    lines = [f"Agreement of {', '.join(report['annotators']) or 'nobody'} on "
             f"{report['documents']} document(s) labelled by two or more ({report['tokens']} "
             "tokens)", "",
             f"overall: span F1 exact {num(o['span_f1_exact'])}, overlap "
             f"{num(o['span_f1_overlap'])}; kappa (mean of pairs) {num(o['kappa'])}; alpha "
             f"{num(o['alpha'])}; structure F1 {num(o['structure_f1'])}", "",
             f"{'label':<12} {'F1 exact':>9} {'F1 overlap':>11} {'kappa':>7} {'alpha':>7}  spans"]
    for lab in report["per_label"]:
        if not any(lab["spans"].values()):
            continue
        counts = " ".join(f"{n}:{c}" for n, c in lab["spans"].items())
        lines.append(f"{lab['label']:<12} {num(lab['span_f1_exact']):>9} "
                     f"{num(lab['span_f1_overlap']):>11} {num(lab['kappa']):>7} "
                     f"{num(lab['alpha']):>7}  {counts}")
    lines += ["", f"{'pair':<24} {'docs':>5} {'F1 exact':>9} {'F1 overlap':>11} {'kappa':>7} "
                  f"{'structure':>10}"]
    for pair in report["per_pair"]:
        lines.append(f"{' / '.join(pair['annotators']):<24} {pair['documents']:>5} "
                     f"{num(pair['span_f1_exact']):>9} {num(pair['span_f1_overlap']):>11} "
                     f"{num(pair['kappa']):>7} {num(pair['structure_f1']):>10}")
    lines += ["", f"{'structure':<10} {'head':<8} {'F1':>6}  roles"]
    for family in report["structure"]:
        lines.append(f"{family['kind']:<10} {family['head']:<8} {num(family['f1']):>6}  "
                     f"{', '.join(family['roles'])}")
    docs = report["documents_by_agreement"][:TOP_DOCUMENTS]
    if docs:
        lines += ["", "lowest agreement first:",
                  f"{'doc':>6} {'F1 exact':>9} {'F1 overlap':>11} {'structure':>10}  title"]
        for d in docs:
            lines.append(f"{d['doc_id']:>6} {num(d['span_f1_exact']):>9} "
                         f"{num(d['span_f1_overlap']):>11} {num(d['structure_f1']):>10}  "
                         f"{d['title'][:50]}")
    return "\n".join(lines) + "\n"
