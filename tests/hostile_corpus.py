"""A hostile content corpus, generated: payloads in every free-text field.

Two halves:

- :func:`write_hostile_corpus` writes a *valid* corpus (the mini fixture with
  a payload appended to every string a contributor can write: names,
  descriptions and summaries in Markdown, notes, quotes and the source texts
  they come from, the removed chrome and the verbatim original). It must
  build, and every payload must come out inert.
- :data:`REJECTED` lists hostile mutations of the mini fixture that must be
  refused by ``check`` with a located problem: ids and paths with ``../``,
  absolute paths, reserved device names, over-long names, invisible and
  right-to-left characters in ids, symlinks out of ``content/``, deep
  nesting, huge files, alias bombs and explicit tags.

Every executable payload sets ``window.__pwned`` or calls ``alert``; the
browser test watches both, plus navigation and elements carrying the
``pwned`` marker.
"""

from __future__ import annotations

import copy
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from parkreport.config import SiteConfig

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: The number a template engine would print if it evaluated ``{{ 12345*11 }}``.
TEMPLATE_PRODUCT = "135795"

PAYLOADS: tuple[str, ...] = (
    "<script>window.__pwned=1;alert(1)</script>",
    "</script><script>window.__pwned=2</script>",
    '"><img src=x class=pwned onerror="window.__pwned=3">',
    "'><svg class=pwned onload=window.__pwned=4>",
    "<svg><script>window.__pwned=5</script></svg>",
    '<svg><a xlink:href="javascript:window.__pwned=6"><text>pwned</text></a></svg>',
    '<a class=pwned href="javascript:window.__pwned=7">javascript link</a>',
    "[markdown link](javascript:window.__pwned=8)",
    "[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD05PC9zY3JpcHQ+)",
    "![pwned image](javascript:window.__pwned=10)",
    '<iframe class=pwned src="data:text/html,<script>parent.__pwned=11</script>"></iframe>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<form class=pwned action="https://evil.example/"><button>go</button></form>',
    '<style>body{display:none}</style><div class=pwned style="position:fixed">x</div>',
    '<object class=pwned data="javascript:window.__pwned=12"></object>',
    '<details open ontoggle="window.__pwned=13">',
    "{{ 12345*11 }} {% raw %}{{ site }}{% endraw %} {# comment #} {{ self.__init__.__globals__ }}",
    "{% include '../../etc/passwd' %} ${7*7} <%= 7*7 %>",
    '{"a": "</script><script>window.__pwned=14</script>"} <!--',
    "\u202eevil\u202c \u200b\u200d\u2066zero-width\u2069 \ufeff",
    "&lt;script&gt;window.__pwned=15&lt;/script&gt; &#60;script&#62;",
    "`<script>window.__pwned=16</script>` <!-- --> ]]> <![CDATA[",
)

_PARK_TEXT = ("name", "name_en", "description")
_PARK_LISTS = ("aliases", "industries")
_REGION_TEXT = ("province", "city", "county")
_PROJECT_TEXT = ("name", "investor", "industry", "description")
_METRIC_TEXT = ("zh", "zh_short", "en", "description")
_REPORT_TEXT = ("title", "publisher", "author", "date_note", "summary")
_ENTRY_TEXT = {
    "indicators": ("scope", "note"),
    "targets": ("what", "scope", "commitment"),
    "project_events": ("capacity", "note"),
    "facts": ("text",),
}


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, data: Any) -> None:
    # A deep copy so that no two nodes are the same object: safe_dump would write an alias.
    text = yaml.safe_dump(copy.deepcopy(data), allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(text, encoding="utf-8")


class _Payloads:
    """Hands out the payloads in turn, so every payload lands in many fields."""

    def __init__(self) -> None:
        self.count = 0
        self.placed: list[str] = []

    def __call__(self, text: str = "") -> str:
        payload = PAYLOADS[self.count % len(PAYLOADS)]
        self.count += 1
        value = f"{text} {payload}".strip()
        self.placed.append(value)
        return value

    def fill(self, entry: dict[str, Any], fields: tuple[str, ...]) -> None:
        for name in fields:
            entry[name] = self(str(entry.get(name, "")))


def _hostile_source(payloads: _Payloads, source: str) -> tuple[str, list[str]]:
    """The source text with payload sentences added, and those sentences (to quote)."""
    sentences = [f"恶意句子{index}:{payloads()}。" for index in range(len(PAYLOADS))]
    return source + "\n" + "\n".join(sentences) + "\n", sentences


def write_hostile_corpus(target: Path) -> list[str]:
    """Write the valid hostile corpus into ``target`` (a new folder); return every string planted."""
    shutil.copytree(FIXTURES / "mini", target)
    payloads = _Payloads()
    metrics = _read(target / "metrics.yaml")
    for metric in metrics["metrics"]:
        payloads.fill(metric, _METRIC_TEXT)
        metric["synonyms"] = [*metric.get("synonyms", []), payloads()]
    _write(target / "metrics.yaml", metrics)
    for park_file in sorted((target / "parks").glob("*.yaml")):
        park = _read(park_file)
        payloads.fill(park, _PARK_TEXT)
        payloads.fill(park.setdefault("region", {}), _REGION_TEXT)
        for name in _PARK_LISTS:
            park[name] = [*park.get(name, []), payloads(), payloads()]
        for project in park.get("projects", []):
            payloads.fill(project, _PROJECT_TEXT)
            project["aliases"] = [*project.get("aliases", []), payloads()]
        _write(park_file, park)
    for report_file in sorted((target / "reports").glob("*.yaml")):
        _make_report_hostile(report_file, target / "sources", payloads)
    return payloads.placed


def _make_report_hostile(report_file: Path, sources: Path, payloads: _Payloads) -> None:
    report = _read(report_file)
    payloads.fill(report, _REPORT_TEXT)
    source_file = sources / f"{report['id']}.txt"
    text, sentences = _hostile_source(payloads, source_file.read_text(encoding="utf-8"))
    source_file.write_text(text, encoding="utf-8")
    (sources / f"{report['id']}.removed.txt").write_text("\n".join(payloads() for _ in range(4)) + "\n", encoding="utf-8")
    (sources / f"{report['id']}.orig.txt").write_text(text + payloads() + "\n", encoding="utf-8")
    for list_name, fields in _ENTRY_TEXT.items():
        for entry in report.get(list_name, []):
            payloads.fill(entry, fields)
    # Facts quoting each hostile sentence: the quote highlighter must mark them inertly.
    report.setdefault("facts", []).extend(
        {"kind": "other", "text": payloads(), "quote": sentence} for sentence in sentences
    )
    report.setdefault("targets", []).append(
        {"what": payloads(), "kind": "qualitative", "commitment": payloads(), "quote": sentences[0]}
    )
    _write(report_file, report)


def hostile_config() -> SiteConfig:
    """A site configuration (``parkreport.yaml``) with a payload in each of its texts."""
    texts = ("title", "description", "author", "publisher", "license", "footer")
    return SiteConfig(**{name: f"{name} {PAYLOADS[index * 3 % len(PAYLOADS)]}" for index, name in enumerate(texts)})


# -- content that must be refused ------------------------------------------------

Mutation = Callable[[Path], None]


@dataclass(frozen=True)
class Rejected:
    """A hostile change to the mini corpus and the file its problem must point at."""

    name: str
    mutate: Mutation
    file: str  # path relative to the content folder that the located problem names


def _park_file(content: Path) -> Path:
    return content / "parks" / "alpha.yaml"


def _report_file(content: Path) -> Path:
    return content / "reports" / "alpha-2022-m1-4.yaml"


def _set_park(field: str, value: Any) -> Mutation:
    def mutate(content: Path) -> None:
        park = _read(_park_file(content))
        park[field] = value
        _write(_park_file(content), park)

    return mutate


def _set_project_id(value: str) -> Mutation:
    def mutate(content: Path) -> None:
        park = _read(_park_file(content))
        park["projects"][0]["id"] = value
        _write(_park_file(content), park)

    return mutate


def _set_report(field: str, value: Any) -> Mutation:
    def mutate(content: Path) -> None:
        report = _read(_report_file(content))
        report[field] = value
        _write(_report_file(content), report)

    return mutate


def _replace_park_text(text: str) -> Mutation:
    def mutate(content: Path) -> None:
        _park_file(content).write_text(text, encoding="utf-8")

    return mutate


def _symlink_source_out(content: Path) -> None:
    outside = content.parent / "outside-secret.txt"
    outside.write_text("secret\n", encoding="utf-8")
    source = content / "sources" / "alpha-2022-m1-4.txt"
    source.unlink()
    os.symlink(outside, source)


def _symlink_park_out(content: Path) -> None:
    outside = content.parent / "outside-park.yaml"
    shutil.copy(_park_file(content), outside)
    _park_file(content).unlink()
    os.symlink(outside, _park_file(content))


def _huge_source(content: Path) -> None:
    source = content / "sources" / "alpha-2022-m1-4.txt"
    with source.open("a", encoding="utf-8") as stream:
        stream.write("很长的句子。" * (9 * 1024 * 1024 // 18 + 1))


def _huge_yaml(content: Path) -> None:
    with _park_file(content).open("a", encoding="utf-8") as stream:
        stream.write("# " + "x" * (3 * 1024 * 1024) + "\n")


_ALIAS_BOMB = (
    "id: alpha\nname: 阿尔法\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
)

REJECTED: tuple[Rejected, ...] = (
    Rejected("park id with ../", _set_park("id", "../../evil"), "parks/alpha.yaml"),
    Rejected("park id absolute path", _set_park("id", "/etc/passwd"), "parks/alpha.yaml"),
    Rejected("project id with ../", _set_project_id("../../../tmp/evil"), "parks/alpha.yaml"),
    Rejected("project id windows path", _set_project_id("..\\..\\evil"), "parks/alpha.yaml"),
    Rejected("project id reserved device name", _set_project_id("con"), "parks/alpha.yaml"),
    Rejected("project id reserved device name nul", _set_project_id("nul"), "parks/alpha.yaml"),
    Rejected("project id reserved device name com1", _set_project_id("com1"), "parks/alpha.yaml"),
    Rejected("project id very long", _set_project_id("a" * 300), "parks/alpha.yaml"),
    Rejected("project id zero-width", _set_project_id("alpha\u200bcoatings"), "parks/alpha.yaml"),
    Rejected("project id right-to-left", _set_project_id("alpha-\u202estaoc"), "parks/alpha.yaml"),
    Rejected("project id with script", _set_project_id("<script>alert(1)</script>"), "parks/alpha.yaml"),
    Rejected("report source with ../", _set_report("source", "../../../etc/passwd"), "reports/alpha-2022-m1-4.yaml"),
    Rejected("report source absolute", _set_report("source", "/etc/passwd"), "reports/alpha-2022-m1-4.yaml"),
    Rejected("report source hidden", _set_report("source", ".git"), "reports/alpha-2022-m1-4.yaml"),
    Rejected("report source reserved name", _set_report("source", "CON"), "reports/alpha-2022-m1-4.yaml"),
    Rejected("report source very long", _set_report("source", "x" * 300 + ".txt"), "reports/alpha-2022-m1-4.yaml"),
    Rejected("report original with ../", _set_report("original", "../parks/alpha.yaml"), "reports/alpha-2022-m1-4.yaml"),
    Rejected("report url javascript", _set_report("url", "javascript:alert(1)"), "reports/alpha-2022-m1-4.yaml"),
    Rejected("report url data", _set_report("url", "data:text/html,<script>alert(1)</script>"), "reports/alpha-2022-m1-4.yaml"),
    Rejected("report url breaking the attribute", _set_report("url", 'https://x.example/" onmouseover="alert(1)'),
             "reports/alpha-2022-m1-4.yaml"),
    Rejected("park website javascript", _set_park("website", "javascript:alert(1)"), "parks/alpha.yaml"),
    Rejected("park website vbscript", _set_park("website", " VBScript:msgbox(1)"), "parks/alpha.yaml"),
    Rejected("source symlink out of content", _symlink_source_out, "sources/alpha-2022-m1-4.txt"),
    Rejected("park file symlink out of content", _symlink_park_out, "parks/alpha.yaml"),
    Rejected("huge source text", _huge_source, "sources/alpha-2022-m1-4.txt"),
    Rejected("huge yaml file", _huge_yaml, "parks/alpha.yaml"),
    Rejected("alias bomb", _replace_park_text(_ALIAS_BOMB), "parks/alpha.yaml"),
    Rejected("deep nesting", _replace_park_text("id: alpha\nname: 阿尔法\nx: " + "[" * 5000 + "]" * 5000 + "\n"),
             "parks/alpha.yaml"),
    Rejected("deep mapping nesting", _replace_park_text("id: alpha\nname: 阿尔法\nx: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n"),
             "parks/alpha.yaml"),
    Rejected("python object tag", _replace_park_text("id: !!python/object/apply:os.system ['echo pwned']\nname: x\n"),
             "parks/alpha.yaml"),
    Rejected("custom tag", _replace_park_text("id: alpha\nname: !include /etc/passwd\n"), "parks/alpha.yaml"),
    Rejected("merge key", _replace_park_text("base: &b {name: 阿尔法}\nid: alpha\n<<: *b\n"), "parks/alpha.yaml"),
)
