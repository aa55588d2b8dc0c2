"""Evaluate ``parkreport extract`` against the hand-made reports in content/.

For every report in CONTENT/reports with a cleaned source, the extractor runs
on CONTENT/sources/<id>.txt with the report's publication year (what a user
passes with --published) and the metric vocabulary. By default it does *not*
see the projects declared in the park files (``--known-projects`` lets it),
so project names are found from the text alone.

Scores, per report and in total (precision / recall / F1):

- indicators: (metric, value, unit, period) all equal; a multiset match;
- projects: names found against the projects the report refers to (its
  project events and project targets); an extracted name counts as found
  when it equals or contains a project's name or alias, or is contained in
  one; names matching nothing are false positives;
- statuses: (project, status) pairs; a project target of the hand-made file
  (力争今年建成投产) counts as the status 'planned'.

The last line printed is a JSON object with every number.

    python bench/eval_extract.py [--content content] [--known-projects] [--originals] [--report ID] [-v]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from parkreport.cleaning import clean_source
from parkreport.extract.candidates import Extraction
from parkreport.extract.pipeline import extract, load_vocabulary
from parkreport.extract.text import to_simplified
from parkreport.extract.vocabulary import Vocabulary
from parkreport.load import RawContent, load_raw
from parkreport.model import Park, Project, Report

KINDS = ("indicators", "projects", "statuses")


@dataclass
class Score:
    """True positives, extracted and expected counts of one kind."""

    hits: int = 0
    found: int = 0
    expected: int = 0

    def add(self, other: Score) -> None:
        self.hits += other.hits
        self.found += other.found
        self.expected += other.expected

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else (1.0 if not self.expected else 0.0)

    @property
    def recall(self) -> float:
        return self.hits / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "hits": self.hits, "found": self.found, "expected": self.expected,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }


@dataclass
class ReportScores:
    report: str
    scores: dict[str, Score] = field(default_factory=lambda: {kind: Score() for kind in KINDS})
    misses: dict[str, list[str]] = field(default_factory=dict)


def _value(value: float | str) -> float | str:
    return round(value, 6) if isinstance(value, float) else value


def multiset_score(found: Sequence[tuple[object, ...]], expected: Sequence[tuple[object, ...]]) -> tuple[Score, list[str]]:
    """Score two multisets of tuples; also list what was missed (-) and extra (+)."""
    have, want = Counter(found), Counter(expected)
    hits = sum((have & want).values())
    notes = [f"- {item}" for item in sorted((want - have).elements(), key=str)]
    notes += [f"+ {item}" for item in sorted((have - want).elements(), key=str)]
    return Score(hits, sum(have.values()), sum(want.values())), notes


def _normal(name: str) -> str:
    return re.sub(r"\s+|项目$", "", to_simplified(name))


def match_project(name: str, projects: list[Project]) -> str | None:
    """The project an extracted name refers to: equal, containing or contained (longest name wins)."""
    wanted = _normal(name)
    best: tuple[int, str] | None = None
    for project in projects:
        for known in (project.name, *project.aliases):
            known_name = _normal(known)
            if len(known_name) >= 2 and (known_name in wanted or wanted in known_name):
                score = (len(known_name), project.id)
                best = score if best is None or score > best else best
    return None if best is None else best[1]


def expected_statuses(report: Report) -> list[tuple[str, str]]:
    pairs = [(event.project, event.status) for event in report.project_events]
    pairs += [(target.project, "planned") for target in report.targets if target.project]
    return sorted(set(pairs))


def score_report(report: Report, extraction: Extraction, projects: list[Project]) -> ReportScores:
    result = ReportScores(report.id)
    found = [(i.metric, _value(i.value), i.unit, i.period.code) for i in extraction.indicators]
    expected = [(i.metric, _value(i.value), i.unit, i.period.code) for i in report.indicators]
    result.scores["indicators"], result.misses["indicators"] = multiset_score(found, expected)

    referenced = sorted({p for p, _ in expected_statuses(report)})
    names = sorted({candidate.name for candidate in extraction.projects})
    mapped = {name: match_project(name, projects) for name in names}
    found_ids = {project for project in mapped.values() if project in referenced}
    wrong = [name for name, project in mapped.items() if project not in referenced]
    result.scores["projects"] = Score(len(found_ids), len(found_ids) + len(wrong), len(referenced))
    result.misses["projects"] = [f"- {p}" for p in referenced if p not in found_ids] + [f"+ {n}" for n in wrong]

    claims = sorted({(mapped[c.name] or f"?{c.name}", c.status) for c in extraction.projects})
    result.scores["statuses"], result.misses["statuses"] = multiset_score(claims, expected_statuses(report))
    return result


def _blind(vocabulary: Vocabulary) -> Vocabulary:
    parks = {park_id: Park.model_validate({**park.model_dump(mode="json", exclude={"projects"}), "projects": []})
             for park_id, park in vocabulary.parks.items()}
    return Vocabulary(vocabulary.metrics, parks, vocabulary.units, vocabulary.extra_units)


def _source_text(raw: RawContent, report: Report, originals: bool) -> str | None:
    """The cleaned source, or with ``originals`` the verbatim original cleaned here as ingest would."""
    if not originals:
        return raw.sources.get(report.source_file)
    original = raw.sources.get(report.original_file) or raw.sources.get(f"{report.id}.orig.html")
    return None if original is None else clean_source(original).text


def evaluate(content: Path, known_projects: bool = False, only: str | None = None,
             originals: bool = False) -> list[ReportScores]:
    raw = load_raw(content)
    vocabulary = load_vocabulary(content)
    seen = vocabulary if known_projects else _blind(vocabulary)
    projects = [project for park in vocabulary.parks.values() for project in park.projects]
    results = []
    for loaded in sorted(raw.reports, key=lambda loaded: loaded.model.id):
        report: Report = loaded.model
        if only and report.id != only:
            continue
        text = _source_text(raw, report, originals)
        if text is None:
            continue
        year = int(report.published[:4]) if report.published else None
        results.append(score_report(report, extract(text, seen, year), projects))
    return results


def table(results: list[ReportScores]) -> tuple[str, dict[str, Score]]:
    totals = {kind: Score() for kind in KINDS}
    header = f"{'report':<24}" + "".join(f" | {kind:^26}" for kind in KINDS)
    sub = f"{'':<24}" + " | hits/found/expected P    R    F1" * 0 + "".join(f" | {'hit/fnd/exp   P    R    F1':<26}" for _ in KINDS)
    lines = [header, sub, "-" * len(header)]

    def row(name: str, scores: dict[str, Score]) -> str:
        cells = "".join(
            f" | {s.hits:>3}/{s.found:>3}/{s.expected:>3} {s.precision:4.0%} {s.recall:4.0%} {s.f1:4.0%}" for s in (scores[k] for k in KINDS)
        )
        return f"{name:<24}{cells}"

    for result in results:
        for kind in KINDS:
            totals[kind].add(result.scores[kind])
        lines.append(row(result.report, result.scores))
    lines.append("-" * len(header))
    lines.append(row("total", totals))
    return "\n".join(lines), totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--known-projects", action="store_true", help="let the extractor see the declared projects")
    parser.add_argument("--report", help="evaluate one report only")
    parser.add_argument("--originals", action="store_true",
                        help="start from the verbatim originals (sources/<id>.orig.*), cleaned as ingest does")
    parser.add_argument("-v", "--verbose", action="store_true", help="list what was missed (-) and extra (+)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = evaluate(args.content, args.known_projects, args.report, args.originals)
    seconds = time.perf_counter() - started
    text, totals = table(results)
    print(text)
    if args.verbose:
        for result in results:
            for kind in KINDS:
                for note in result.misses.get(kind, []):
                    print(f"{result.report} {kind} {note}")
    summary = {
        "reports": [r.report for r in results],
        "known_projects": args.known_projects,
        "originals": args.originals,
        "seconds": round(seconds, 3),
        "total": {kind: totals[kind].as_dict() for kind in KINDS},
        "per_report": {r.report: {kind: r.scores[kind].as_dict() for kind in KINDS} for r in results},
    }
    print(json.dumps(summary, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
