"""A deterministic generator of realistic synthetic corpora, for benchmarks.

``generate(root, parks, seed)`` writes a content directory of ``parks``
parks, each with 15 projects and 5 years (2019-2023) of three reports
(January-April, first half, full year): every report carries the 12
metrics of the vocabulary with a year-on-year growth, project events moving
each project through 3-4 stages, targets in the full-year reports and a few
facts, all quoted verbatim from a source text of realistic length
(3-6 KB, like the seed reports).

The same ``parks`` and ``seed`` always give byte-identical files.

    python bench/corpus_gen.py OUT_DIR --parks 100 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

YEARS = (2019, 2020, 2021, 2022, 2023)
PROJECTS_PER_PARK = 15
METRICS = (
    ("industrial-output", "规模以上工业总产值", "亿元", 50.0),
    ("industrial-value-added", "规模以上工业增加值", "亿元", 12.0),
    ("fixed-asset-investment", "固定资产投资", "亿元", 20.0),
    ("industrial-investment", "工业投资", "亿元", 15.0),
    ("public-budget-revenue", "一般公共预算收入", "亿元", 3.0),
    ("tax-revenue", "税收收入", "亿元", 2.5),
    ("operating-revenue", "营业收入", "亿元", 80.0),
    ("foreign-capital-used", "实际利用外资", "亿美元", 0.8),
    ("export-value", "出口总额", "亿元", 6.0),
    ("new-urban-jobs", "城镇新增就业", "人", 1200.0),
    ("projects-signed", "签约项目", "个", 12.0),
    ("projects-signed-investment", "签约项目总投资", "亿元", 60.0),
)
# (period suffix, report id suffix, share of the full year, published month)
SPANS = (("M1-4", "m1-4", 0.32, "05"), ("H1", "h1", 0.5, "07"), ("", "annual", 1.0, "01"))
STAGES = ("signed", "under_construction", "trial_production", "in_production")
PROVINCES = (("河南省", "濮阳市"), ("山东省", "德州市"), ("江苏省", "苏州市"), ("浙江省", "嘉兴市"), ("四川省", "成都市"))
INDUSTRIES = ("化工", "新材料", "装备制造", "电子信息", "生物医药", "食品加工", "纺织服装", "新能源")
FILLER = (
    "园区坚持项目为王,持续优化营商环境,推动产业链延链补链强链,以高质量项目支撑高质量发展。",
    "围绕主导产业开展精准招商,落实领导分包重点项目制度,实行周调度、月通报、季观摩。",
    "深化“放管服”改革,推行企业投资项目承诺制,审批时限压缩一半以上,服务企业“零距离”。",
    "加快基础设施建设,完善道路、供水、污水处理和集中供热管网,园区承载能力持续增强。",
    "坚持安全发展,开展化工企业安全隐患排查整治,守牢安全生产和生态环境底线。",
    "强化要素保障,协调解决企业用地、用工、融资等难题,帮助企业稳产满产、扩能增效。",
)


@dataclass(frozen=True)
class Span:
    year: int
    suffix: str
    slug: str
    share: float
    month: str

    @property
    def period(self) -> str:
        return f"{self.year}{self.suffix}"

    @property
    def published(self) -> str:
        return f"{self.year + 1}-{self.month}-15" if not self.suffix else f"{self.year}-{self.month}-20"

    @property
    def label(self) -> str:
        return {"M1-4": "1-4月", "H1": "上半年", "": "全年"}[self.suffix]


def spans() -> list[Span]:
    return [Span(year, suffix, slug, share, month) for year in YEARS for suffix, slug, share, month in SPANS]


def park_ids(parks: int) -> list[str]:
    return [f"park-{number:04d}" for number in range(parks)]


def report_id(park: str, span: Span) -> str:
    return f"{park}-{span.year}-{span.slug}"


def metrics_yaml() -> str:
    lines = ["metrics:"]
    for ident, zh, unit, _ in METRICS:
        lines += [f"  - id: {ident}", f"    zh: {zh}", f"    en: Synthetic {ident}", f"    unit: {unit}"]
        if ident in ("industrial-output", "industrial-value-added"):
            lines.append("    headline: true")
    return "\n".join(lines) + "\n"


def park_yaml(park: str, number: int, rng: random.Random) -> str:
    province, city = PROVINCES[number % len(PROVINCES)]
    industries = rng.sample(INDUSTRIES, 2)
    lines = [f"id: {park}", f"name: {city}第{number}号工业园区", f"name_en: Synthetic Industrial Park {number}",
             "kind: park", "level: provincial", f"region: {{province: {province}, city: {city}}}",
             f"industries: [{', '.join(industries)}]",
             f"description: {city}第{number}号工业园区,以{industries[0]}和{industries[1]}为主导产业的合成园区。", "projects:"]
    for project in range(PROJECTS_PER_PARK):
        lines += [f"  - id: {park}-p{project:02d}", f"    name: {industries[project % 2]}项目{project}号",
                  f"    investor: 某{rng.choice('甲乙丙丁戊己庚辛')}{industries[project % 2]}有限公司",
                  f"    industry: {industries[project % 2]}"]
    return "\n".join(lines) + "\n"


def project_schedule(park: str, rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """Report id -> the (project, stage) events it tells: each project passes 3-4 stages."""
    timeline = spans()
    events: dict[str, list[tuple[str, str]]] = {}
    for project in range(PROJECTS_PER_PARK):
        stages = STAGES if rng.random() < 0.5 else STAGES[:3]
        start = rng.randrange(0, len(timeline) - len(stages) * 2)
        for step, stage in enumerate(stages):
            span = timeline[start + step * 2 + rng.randrange(0, 2)]
            events.setdefault(report_id(park, span), []).append((f"{park}-p{project:02d}", stage))
    return events


def _growth_sentence(zh: str, value: float, unit: str, growth: float, label: str) -> str:
    verb = "增长" if growth >= 0 else "下降"
    return f"{label}园区{zh}完成{value:g}{unit},同比{verb}{abs(growth):g}%"


def report_files(park: str, park_name: str, span: Span, events: list[tuple[str, str]],
                 rng: random.Random) -> tuple[str, str]:
    """A report's YAML and its source text; each quote is a sentence of the source."""
    ident = report_id(park, span)
    sentences: list[str] = [f"{span.year}年{span.label},{park_name}经济运行总体平稳、稳中有进。"]
    lines = [f"id: {ident}", f"parks: [{park}]", f"title: {park_name}{span.year}年{span.label}经济运行情况",
             "publisher: 合成日报", f'published: "{span.published}"', f"period: {span.period}", "kind: news",
             "summary: >-", f"  {park_name}{span.year}年{span.label}主要经济指标保持增长,重点项目建设稳步推进。",
             "indicators:"]
    for metric, zh, unit, scale in METRICS:
        value = round(scale * span.share * rng.uniform(0.6, 1.6), 2 if unit != "人" and unit != "个" else 0)
        value = int(value) if unit in ("人", "个") else value
        growth = round(rng.uniform(-8, 35), 1)
        quote = _growth_sentence(zh, value, unit, growth, span.label)
        sentences.append(quote + "。" + rng.choice(FILLER))
        lines += [f"  - metric: {metric}", f"    value: {value}", f"    unit: {unit}", f"    period: {span.period}",
                  f"    yoy_pct: {growth}", f"    quote: {quote}"]
    if not span.suffix and span.year < YEARS[-1]:
        lines.append("targets:")
        for metric, zh, unit, scale in METRICS[:3]:
            goal = round(scale * rng.uniform(1.0, 1.5), 1)
            quote = f"{span.year + 1}年力争{zh}达到{goal:g}{unit}"
            sentences.append(quote + "。")
            lines += [f"  - what: {zh}达到{goal:g}{unit}", "    kind: quantitative", f"    metric: {metric}",
                      f"    value: {goal}", f"    unit: {unit}", "    qualifier: at_least", f"    by: {span.year + 1}",
                      "    commitment: 力争", f"    quote: {quote}"]
    if events:
        lines.append("project_events:")
        for project, stage in events:
            amount = round(rng.uniform(1, 50), 1)
            words = {"signed": "成功签约", "under_construction": "开工建设", "trial_production": "顺利试产",
                     "in_production": "建成投产"}[stage]
            quote = f"{project}号项目总投资{amount:g}亿元,{words}"
            sentences.append(quote + "。" + rng.choice(FILLER))
            lines += [f"  - project: {project}", f"    status: {stage}", f"    investment: {{value: {amount}, unit: 亿元}}",
                      f"    quote: {quote}"]
    lines.append("facts:")
    for number in range(2):
        quote = f"{park_name}荣获{span.year}年度第{number + 1}批省级先进园区称号"
        sentences.append(quote + "。")
        lines += ["  - kind: award", f"    text: 获得{span.year}年度第{number + 1}批省级先进园区称号。", f"    quote: {quote}"]
    source = "\n".join(sentences + [rng.choice(FILLER) for _ in range(6)]) + "\n"
    return "\n".join(lines) + "\n", source


def generate(root: Path, parks: int, seed: int = 1) -> int:
    """Write the synthetic content directory; return the number of reports."""
    for folder in ("parks", "reports", "sources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "metrics.yaml").write_text(metrics_yaml(), encoding="utf-8")
    reports = 0
    for number, park in enumerate(park_ids(parks)):
        rng = random.Random(f"{seed}-{park}")
        text = park_yaml(park, number, rng)
        (root / "parks" / f"{park}.yaml").write_text(text, encoding="utf-8")
        name = text.split("\n")[1].removeprefix("name: ")
        schedule = project_schedule(park, rng)
        for span in spans():
            ident = report_id(park, span)
            report, source = report_files(park, name, span, schedule.get(ident, []), rng)
            (root / "reports" / f"{ident}.yaml").write_text(report, encoding="utf-8")
            (root / "sources" / f"{ident}.txt").write_text(source, encoding="utf-8")
            reports += 1
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="content directory to create")
    parser.add_argument("--parks", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    reports = generate(args.output, args.parks, args.seed)
    print(f"{args.parks} parks, {reports} reports in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
