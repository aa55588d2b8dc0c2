"""Recognising site chrome: the lines around an article that are not the article.

Breadcrumbs, "作者: 来源: 发布时间:" meta lines, "责任编辑", share and print
buttons, copyright lines and disclaimer blocks are moved out of the cleaned
text into a kept "removed" list, never silently deleted. Meta lines are also
read for suggestions (publisher, author, publication date) that the user can
copy into the report's YAML.

Every rule looks at one line of Simplified text and prefers leaving a line in
to taking a sentence out: a label only counts at the start of a short line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import tidy_spaces

_OPENERS = "【[〔(（"
_BREADCRUMB_START = re.compile(r"^(?:首页|主页|网站首页|当前位置|您的位置|你的位置|您现在的位置|你现在的位置|现在位置)\s*[:：]?")
_BREADCRUMB_ARROW = re.compile(r"\s(?:>|»|＞|›|→|>>)\s")
_META_LABELS = (
    "责任编辑", "值班编辑", "网络编辑", "编辑", "责编", "审核", "审校", "初审", "复审", "终审", "校对", "监制",
    "文章来源", "稿件来源", "信息来源", "新闻来源", "来源", "作者", "发布时间", "发布日期", "发布者", "发布人",
    "发稿时间", "更新时间", "时间", "日期", "字体", "字号", "点击数", "点击量", "点击", "浏览次数", "浏览量",
    "阅读量", "阅读次数", "访问量", "供稿", "摄影", "通讯员", "记者",
)
# Labels that mark a meta line even when alone; the rest need a second label.
_STRONG_LABELS = frozenset(
    [
        "责任编辑", "值班编辑", "网络编辑", "编辑", "责编", "审核", "审校", "初审", "复审", "终审", "校对", "监制",
        "文章来源", "稿件来源", "信息来源", "新闻来源", "来源", "作者", "发布时间", "发布日期", "发稿时间",
        "字体", "字号", "浏览次数", "点击数", "阅读量",
    ]
)
_LABEL = re.compile(r"(" + "|".join(_META_LABELS) + r")\s*[:：]")
_BUTTON_WORDS = frozenset(
    [
        "分享到", "分享至", "分享", "分享给朋友", "扫一扫", "微信扫一扫", "手机扫一扫", "扫描二维码", "扫一扫在手机打开当前页", "打印本页", "打印此页", "打印",
        "关闭窗口", "关闭本页", "关闭", "返回顶部", "返回首页", "返回列表", "返回", "收藏", "收藏本页", "收藏本站", "加入收藏", "设为首页", "网站地图", "联系我们",
        "我要纠错", "点赞", "在看", "阅读原文", "长按识别二维码", "预览时标签不可点", "复制链接", "微信", "微博", "新浪微博", "QQ空间", "QQ", "朋友圈",
        "字体大中小", "字号大中小", "字体大小", "关注该公众号", "关注公众号", "微信扫一扫关注该公众号", "轻点两下取消赞", "轻点两下取消在看",
        "无障碍浏览", "无障碍", "长者模式", "关怀版", "适老化", "长辈版", "简体", "繁体", "繁體", "English", "登录", "注册",
        "关注我们", "点击上方蓝字关注我们", "点击蓝字关注我们", "点击上方蓝字关注", "点击上方蓝字", "点击关注", "原创",
    ]
)
# A portal's header: the site's name, then its tools ("某县人民政府|无障碍浏览|长者模式").
_TOOLBAR_SEPARATOR = re.compile(r"[|｜]")
# WeChat's own lines: "原创 金湖发布" (the account alone), "点击上方“金湖发布”关注我们".
_WECHAT_LINE = re.compile(r"^(?:原创\s+\S{1,30}|点击(?:上方|下方)?\S{0,20}关注(?:我们)?\S{0,4})$")
_BUTTON_SEPARATORS = re.compile(r"[\s【】\[\]|｜/:：·,，、]+")
# WeChat exports: "原创 园区发布 2023-07-05 18:00 发表于河南".
_WECHAT_BYLINE = re.compile(
    r"^(?:原创\s+)?(?P<account>[^\s\d][^\s]{0,29})\s+(?P<date>(?:19|20)\d{2}-\d{2}-\d{2})(?:\s+\d{1,2}:\d{2})?(?:\s+发表于\S{0,10})?$"
)
_FONT_SIZES = re.compile(r"(字体|字号)\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小\s*[】\]]?")
# Lines that name another page after the button ("上一篇：...").
_NAVIGATION = re.compile(r"^(?:上一篇|下一篇|上一条|下一条|相关阅读|相关新闻|相关链接|相关文章|推荐阅读)\s*(?:[:：]|$)")
_COPYRIGHT = re.compile(
    r"版权所有|Copyright|©|ICP备|ICP证|公网安备|违法和不良信息举报|未经(?:本网)?(?:书面)?授权.{0,4}不得转载"
    r"|^(?:主办单位|承办单位|主管单位|技术支持|网站标识码|政府网站标识码)\s*[:：]"
)
_DISCLAIMER = re.compile(r"(.*?)(?:版权与免责声明|版权声明|免责声明)")
_NUMBERED = re.compile(r"^(?:[①-⑳]|\(?\d{1,2}[)）、.]|（\d{1,2}）)")
_LEADING_DATE = re.compile(
    r"^(?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s+"
)
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")

MAX_META_LINE = 120
MAX_BUTTON_LINE = 40
MAX_COPYRIGHT_LINE = 160


# "本报记者 李振涛 通讯员 ...", "(记者 杨鸣宇 整理)": the reporter's names.
_REPORTER = re.compile(
    r"(?:^|[（(])\s*(?:本报)?(?:特约)?记者\s*[:：]?\s*"
    r"(?P<names>[\u4e00-\u9fff]{2,4}(?:[\s、]+[\u4e00-\u9fff]{2,4})*?)"
    r"(?=\s*(?:通讯员|实习生|整理|报道|摄影|摄|文/图|文图|[)）]|$))"
)


def reporter_in(paragraphs: list[str]) -> str:
    """The reporter a byline or credit names, names separated by '、'; '' if none."""
    for paragraph in paragraphs:
        match = _REPORTER.search(paragraph)
        if match:
            return "、".join(re.split(r"[\s、]+", match.group("names")))
    return ""


@dataclass
class Suggestions:
    """Report metadata read from the source, for the user to check and copy."""

    title: str = ""
    publisher: str = ""
    author: str = ""
    published: str = ""

    def as_fields(self) -> dict[str, str]:
        """The non-empty suggestions, keyed by report YAML field name."""
        return {key: value for key, value in vars(self).items() if value}


def _unwrapped(line: str) -> str:
    return line.lstrip(_OPENERS + " ").rstrip("】]〕)） ")


def is_breadcrumb(line: str) -> bool:
    """"首页 > 专题 > 正文", or any short line of three or more linked levels."""
    if _BREADCRUMB_START.match(line) and (_BREADCRUMB_ARROW.search(f" {line} ") or re.search(r"[>»＞›]", line)):
        return True
    return len(line) <= 150 and len(_BREADCRUMB_ARROW.findall(line)) >= 2


def meta_fields(line: str) -> dict[str, str] | None:
    """The label/value pairs of a meta line ("作者: 来源:濮阳日报 ..."), else None."""
    text = _unwrapped(line)
    if len(text) > MAX_META_LINE:
        return None
    dated = _LEADING_DATE.match(text)
    if dated:  # "2023-07-20 08:30:00　来源：某某网"
        text = text[dated.end():]
    labels = list(_LABEL.finditer(text))
    if not labels or labels[0].start() != 0:
        return None
    if labels[0].group(1) not in _STRONG_LABELS and len(labels) < 2:
        return None
    fields: dict[str, str] = {"发布时间": dated.group(0).strip()} if dated else {}
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        fields.setdefault(label.group(1), text[label.end():end].strip())
    return fields


def is_button_line(line: str) -> bool:
    """A line made only of buttons ("分享到 微信 微博", "【打印本页】【关闭窗口】", "字体：大 中 小")."""
    if _NAVIGATION.match(_unwrapped(line)) and len(line) <= MAX_META_LINE:
        return True
    if len(line) <= MAX_BUTTON_LINE and _WECHAT_LINE.match(line.strip()):
        return True
    words = [word for word in _BUTTON_SEPARATORS.split(_FONT_SIZES.sub(r"\1大中小", line)) if word]
    if _TOOLBAR_SEPARATOR.search(line) and len(words) >= 3 and not has_sentence_mark(words[0]):
        words = words[1:]  # the site's name before its tools
    return len(line) <= MAX_BUTTON_LINE and bool(words) and all(word in _BUTTON_WORDS for word in words)


def has_sentence_mark(text: str) -> bool:
    return bool(re.search(r"[，。；！？,;!?]", text))


def is_copyright(line: str) -> bool:
    return len(line) <= MAX_COPYRIGHT_LINE and bool(_COPYRIGHT.search(line))


def disclaimer_heading(line: str) -> str | None:
    """For "德州新闻网版权与免责声明:", the site name before it ('' if none)."""
    match = _DISCLAIMER.match(line)
    if match is None or len(line) > 60:
        return None
    return match.group(1).strip(" :：")


@dataclass
class ChromeSorter:
    """Sorts lines into article and chrome, reading suggestions on the way.

    A disclaimer heading also takes the numbered paragraphs (①②③, 1.) that
    follow it, up to the first line that is not numbered.
    """

    suggestions: Suggestions
    in_disclaimer: bool = False

    def is_chrome(self, line: str) -> bool:
        """Whether ``line`` is chrome, as written or once its stray spaces go ("责 任编辑:")."""
        tidied, _ = tidy_spaces(line, headline=False)
        if self.in_disclaimer and (_NUMBERED.match(line) or _NUMBERED.match(tidied)):
            return True
        self.in_disclaimer = False
        for variant in dict.fromkeys((line, tidied)):
            site = disclaimer_heading(variant)
            if site is not None:
                self.in_disclaimer = True
                if site and not self.suggestions.publisher:
                    self.suggestions.publisher = site
                return True
            if self._read_wechat_byline(variant):
                return True
            fields = meta_fields(variant)
            if fields is not None:
                self._read_meta(fields)
                return True
            if is_breadcrumb(variant) or is_button_line(variant) or is_copyright(variant):
                return True
        return False

    def _read_wechat_byline(self, line: str) -> bool:
        match = _WECHAT_BYLINE.match(line)
        if match is None or not (line.startswith("原创") or "发表于" in line):
            return False
        if not self.suggestions.publisher:
            self.suggestions.publisher = match.group("account")
        if not self.suggestions.published:
            self.suggestions.published = match.group("date")
        return True

    def _read_meta(self, fields: dict[str, str]) -> None:
        found = self.suggestions
        for label in ("文章来源", "稿件来源", "信息来源", "新闻来源", "来源"):
            if fields.get(label) and not found.publisher:
                found.publisher = fields[label].split()[0]
        if fields.get("作者") and not found.author:
            found.author = fields["作者"]
        for label in ("发布时间", "发布日期", "发稿时间", "时间", "日期", "更新时间"):
            date = _DATE.search(fields.get(label, ""))
            if date and not found.published:
                year, month, day = (int(part) for part in date.groups())
                found.published = f"{year:04d}-{month:02d}-{day:02d}"
