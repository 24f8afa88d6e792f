"""Officials in Chinese, Japanese and Korean releases, by the order each language gives an
office and a name.

* Chinese writes [place] office name, without spaces: "上海市市长韩正将于", "副市长程用文陪同".
  The name is a family name (``data/cjk_names.txt``) and one or two letters (a Japanese name
  ending like "树一郎" is longer), up to a word that cannot be part of it ("将", "会见", "一行").
* Japanese writes name [place or body] office: "岸田文雄外務大臣は", "前田晋太郎新市長",
  "レックス・ティラソン米国務長官", "下関市総合政策部村上治城部長"; places and bodies between
  the name and the office are read off ("下関市", "総合政策部", "米").
* Korean writes name [qualifiers] office, a word each: "윤병세 장관은", "노태강 문화체육관광부
  제2차관", "윤병태 나주시장은"; a foreign name may carry its original in brackets ("조코
  위도도(Joko Widodo) 인도네시아 대통령"); and office name in brackets ("(시장 윤병태)").

A later short mention ("何総領事", "前田市長", "윤 장관", "キム知事") is the person the full
name gave, not another.
"""

from __future__ import annotations

import re
from functools import lru_cache

from search.extract.cjk_places import scan_cjk
from search.extract.mentions import Mention
from search.extract.native_names import kana_fold, traditional
from search.extract.place_hits import RegionState
from search.extract.regions import DATA_DIR, full_gazetteer

_ZH_OFFICES = sorted(
    "总领事 领事 副市长 市长 副省长 省长 州长 副州长 副主任 主任 书记 副书记 大使 总统 副总统 "
    "总理 副总理 主席 副主席 部长 副部长 外长 局长 厅长 区长 县长 镇长 议长 会长 秘书长 委员长 "
    "知事 首相 外交部长 国务卿 总督 参赞 国务委员 议员 总干事 司长 处长".split(),
    key=len,
    reverse=True,
)
# words that end a Chinese name: verbs, particles, times, "delegation" (一行)
_ZH_AFTER_NAME = re.compile(
    r"一行|会见|会晤|会谈|陪同|表示|出席|参加|主持|致辞|讲话|强调|指出|介绍|感谢|欢迎|接待|接见"
    r"|宴请|看望|见证|签署|前往|访问|参观|视察|考察|调研|通话|致电|回答|提出|宣布|认为|希望|祝贺"
    r"|发表|带队|到访|走访|出访|抵达|举行|一起|共同|分别|亲切|热情|首先|随后|今天|昨天|日前|近日"
    r"|上午|下午|晚上|先生|女士|同志|一同|率|将|的|对|与|和|及|等|是|于|在|访|还|就|听|也|了|向"
    r"|到|同|为|说|带|应|称|赴|已|并|又|都|均"
)
_JA_OFFICES = sorted(
    "総領事 領事 市長 副市長 知事 副知事 大臣 首相 長官 大統領 副大統領 議長 部長 大使 総裁 "
    "会長 町長 村長 区長 総理 国務長官 外務大臣 総理大臣 首席 主席 局長 課長 事務総長 副大臣 "
    "政務官 参事官 公使 議員".split(),
    key=len,
    reverse=True,
)
_JA_OFFICE = re.compile("|".join(_JA_OFFICES))
_JA_MODIFIERS = "新前元同副"
# not names, though written where a name is: "各国大使", "全国市長会", "本県知事"
_JA_NOT_NAMES = frozenset("各国 全国 両国 本県 当市 本市 同市 同県 現職 歴代 初代 同国".split())
# an office word followed by these is part of another word: "市長会", "知事選", "議長国"
_JA_NOT_OFFICE_AFTER = "会選国級室"
_JA_COUNTRY_ABBREVIATIONS = "米英仏独中日韓露伊加豪印"
_JA_ORG_END = "部課局館庁所院会室省"
_KO_OFFICES = sorted(
    "장관 차관 지사 도지사 시장 군수 구청장 총리 국무총리 대통령 부통령 국가주석 주석 주임 실장 "
    "지원관 대사 총영사 영사 위원장 의장 청장 국장 비서관 수석 대변인 회장 원장 부지사 부시장 "
    "교육감 총장 차관보 사무총장 의원".split(),
    key=len,
    reverse=True,
)
_KO_PARTICLES = re.compile(r"(?:은|는|이|가|을|를|의|에게|께서|과|와|도|으로부터|로부터|으로|로)$")
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA_NAME = re.compile(r"[\u30a1-\u30fa\u30fc]+(?:[・=][\u30a1-\u30fa\u30fc]+)*$")
_JAPANESE_GIVEN_END = "郎朗介輔彦雄夫子也哉樹树人男美"


@lru_cache(maxsize=1)
def family_names() -> dict[str, frozenset[str]]:
    """Common family names by script ("zh": Han letters, "ko": Hangul syllables)."""
    out: dict[str, set[str]] = {"zh": set(), "ko": set()}
    with open(DATA_DIR / "cjk_names.txt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                script, names = line.split(":", 1)
                out[script.strip()].update(names.split())
    return {k: frozenset(v) for k, v in out.items()}


def cjk_mentions(text: str) -> list[Mention]:
    """The officials named with an office in the Chinese, Japanese or Korean parts of text."""
    out: list[Mention] = []
    kana = re.search("[\u3040-\u309f]", text) is not None  # hiragana: Japanese
    if re.search(f"[{_HAN}]", text):
        out += _japanese(text) if kana else _chinese(text)
    if re.search("[\uac00-\ud7af]", text):
        out += _korean(text)
    return _without_short_forms(out)


@lru_cache(maxsize=1)
def _chinese_rules() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    """The offices, the words that end a name and the family names, in simplified and in
    traditional characters (Taiwan and Hong Kong write "市長", "會見", "陳")."""
    offices = {o for o in _ZH_OFFICES} | {traditional(o) for o in _ZH_OFFICES}
    office_rx = re.compile("|".join(sorted(offices, key=len, reverse=True)))
    stops = _ZH_AFTER_NAME.pattern
    after_name = re.compile(f"{stops}|{traditional(stops)}")
    surnames = family_names()["zh"]
    return office_rx, after_name, surnames | {traditional(n) for n in surnames}


def _chinese(text: str) -> list[Mention]:
    """ "市长韩正将于": office, then a name up to a word that ends it."""
    out = []
    office_rx, after_name, surnames = _chinese_rules()
    for m in office_rx.finditer(text):
        tail = re.match(rf"[{_HAN}]{{2,6}}", text[m.end() : m.end() + 6])
        if not tail:
            continue
        name = tail.group()
        stop = after_name.search(name, 1)
        name = name[: stop.start()] if stop else name
        if len(name) > 3 and not (len(name) <= 5 and name[-1] in _JAPANESE_GIVEN_END):
            name = name[:3]
        # a foreign official ("美国国务卿布林肯", "驻华大使垂秀夫") has a name in any letters
        known = name[0] in surnames or name[:2] in surnames or _foreign_office(text, m.start())
        if 2 <= len(name) <= 5 and known:
            out.append(Mention(name, m.group(), m.end()))
    return out


def _foreign_office(text: str, start: int) -> bool:
    """Whether the office at ``start`` is a foreign one: after a country's name or "驻"."""
    g = full_gazetteer("cjk")
    before = text[max(0, start - 8) : start]
    if "驻" in before or "駐" in before:
        return True
    for n in range(2, len(before) + 1):
        keys = g.cjk.get(before[-n:], [])
        if any(
            g.places[k].kind == "country" and k not in ("CN", "TW") for k in keys if k in g.places
        ):
            return True
    return False


def _japanese(text: str) -> list[Mention]:
    """ "岸田文雄外務大臣は": a name, perhaps a place or body, then the office."""
    out = []
    for m in _JA_OFFICE.finditer(text):
        if text[m.end() : m.end() + 1] in _JA_NOT_OFFICE_AFTER and text[m.end() : m.end() + 1]:
            continue
        window = text[max(0, m.start() - 40) : m.start()]
        before = re.search(rf"[{_HAN}\u30a1-\u30fa\u30fc・=＝]+$", window)
        if not before:
            continue
        left = before.group().rstrip(_JA_MODIFIERS)
        if m.group()[0] in "市県州町村区":
            left = _without_place_name(left)  # "下関市長": the mayor of 下関, named before
        for _ in range(4):  # places and bodies between the name and the office
            stripped = _strip_right(left).rstrip("・").rstrip(_JA_MODIFIERS)
            if stripped == left:
                break
            left = stripped
        name = _name_at_end(left)
        if name and name not in _JA_NOT_NAMES:
            out.append(Mention(name, m.group(), m.start() - len(name)))
    return out


def _without_place_name(left: str) -> str:
    """``left`` without the longest place name it ends with ("リンデナウ・…リューベック")."""
    g = full_gazetteer("cjk")
    for i in range(max(0, len(left) - g.cjk_max), len(left) - 1):
        tail = left[i:]
        if tail in g.cjk or kana_fold(tail) in g.cjk:
            return left[:i].rstrip("・")
    return left


def _place_hits(text: str) -> list[tuple[int, int]]:
    """(start, end) of the places ``search.extract.cjk_places`` finds in ``text``."""
    state = RegionState()
    scan_cjk(text, full_gazetteer("cjk"), state)
    return [(h.start, h.start + len(h.surface)) for h in state.hits]


def _strip_right(left: str) -> str:
    """``left`` without a place, a body or a country's one-letter form at its end."""
    for start, end in _place_hits(left):
        if end == len(left) and start > 0:
            return left[:start]
    if left[-1:] in _JA_ORG_END and re.search(rf"[\u30a1-\u30fa\u30fc][{_HAN}]+$", left):
        # "シューマン同市議会": a body written after a katakana name
        return re.sub(rf"[{_HAN}]+$", "", left)
    if len(left) > 2 and left[-1] in _JA_COUNTRY_ABBREVIATIONS:
        return left[:-1]  # "ティラソン米国務長官": 米 is the United States
    return left


def _name_at_end(left: str) -> str | None:
    """The name at the end of ``left``: a katakana name, or Han letters after the last place
    or body ("下関市総合政策部村上治城" -> "村上治城")."""
    kana = _KANA_NAME.search(left)
    if kana:
        return kana.group().strip("・=")
    start = max([e for _, e in _place_hits(left) if e < len(left)], default=0)
    rest = left[start:]
    org = max(rest.rfind(c) for c in _JA_ORG_END)
    if org != -1 and len(rest) - org - 1 >= 2:
        rest = rest[org + 1 :]
    if re.fullmatch(rf"[{_HAN}]{{1,5}}", rest) and rest[-1] not in _JA_ORG_END:
        return rest  # (not "市議会議長" with no name: a body's chair)
    return None


def _korean(text: str) -> list[Mention]:
    """ "윤병세 장관은", "노태강 문화체육관광부 제2차관", "(시장 윤병태)"."""
    surnames = family_names()["ko"]
    out = _korean_glossed(text)
    # "나주시(시장 윤병태)": an office, then the name, in brackets
    for m in _BRACKETED_OFFICE.finditer(text) if "(" in text else ():
        if m.group("office") in _KO_OFFICES and _korean_name(m.group("name"), surnames):
            out.append(Mention(m.group("name"), m.group("office"), m.start("name")))
    words = [(m.group(), m.start()) for m in re.finditer(r"[^\s]+", text)]
    for i, (word, start) in enumerate(words):
        bare = _KO_PARTICLES.sub("", word.strip("(.,)·"))
        office = next((o for o in _KO_OFFICES if bare.endswith(o)), None)
        if office is None:
            continue
        name = _korean_name_before(words, i, surnames)
        if name:
            out.append(Mention(name, bare, start))
    return out


_BRACKETED_OFFICE = re.compile(r"\((?P<office>[\uac00-\ud7af]+) (?P<name>[\uac00-\ud7af]{2,4})\)")
_GLOSSED = re.compile(
    r"(?<![\uac00-\ud7af])(?P<name>[\uac00-\ud7af]{1,4} [\uac00-\ud7af]{1,5})"
    rf"\((?:[A-Z][\w .'-]+|[{_HAN}]{{2,4}})\)"
)


def _korean_glossed(text: str) -> list[Mention]:
    """A foreign name with its original in brackets, then its office within four words:
    "조코 위도도(Joko Widodo) 인도네시아 대통령과", "차이 밍자오(蔡名照) 중국 국무원 신문판공실
    주임을"."""
    out = []
    for m in _GLOSSED.finditer(text) if "(" in text else ():
        for word in text[m.end() : m.end() + 80].split()[:4]:
            bare = _KO_PARTICLES.sub("", word.rstrip(".,)"))
            if any(bare.endswith(o) for o in _KO_OFFICES):
                out.append(Mention(m.group("name"), bare, m.start()))
                break
    return out


def _korean_name_before(
    words: list[tuple[str, int]], i: int, surnames: frozenset[str]
) -> str | None:
    """The name before the office word ``words[i]``, over up to three qualifier words
    ("문화체육관광부", "중국 국무원 신문판공실")."""
    for k in range(i - 1, max(-1, i - 5), -1):
        word = words[k][0]
        if "(" in word or ")" in word:
            return None  # a glossed foreign name: read by ``_korean_glossed``
        between = [w for w, _ in words[k + 1 : i]]
        if _korean_name(word, surnames) and all(_qualifier(w) for w in between):
            return word
        # a two-syllable name ("박진") only before a ministry or body: "박진 외교부 장관"
        # ("주한 대사" is "ambassadors to Korea")
        if (
            re.fullmatch(r"[\uac00-\ud7af]{2}", word)
            and word[0] in surnames
            and between
            and all(_qualifier(w) for w in between)
            and between[0][-1] in "부원청처"
        ):
            return word
        if any(_is_country(w) for w in between) and all(_qualifier(w) for w in between):
            return _foreign_korean_name(words, k)  # "토니 블링컨 미국 국무장관"
        if not _qualifier(word):
            return None
    return None


def _is_country(word: str) -> bool:
    g = full_gazetteer("cjk")
    return any(g.places[k].kind == "country" for k in g.cjk.get(word, []) if k in g.places)


def _foreign_korean_name(words: list[tuple[str, int]], k: int) -> str | None:
    """A foreign name before its country and office, in any syllables: "블링컨", or with the
    given name before it ("토니 블링컨")."""
    word = words[k][0]
    if not re.fullmatch(r"[\uac00-\ud7af]{2,6}", word) or _KO_PARTICLES.search(word):
        return None
    before = words[k - 1][0] if k > 0 else ""
    if (
        re.fullmatch(r"[\uac00-\ud7af]{1,4}", before)
        and not _KO_PARTICLES.search(before)
        and before not in _KO_SENTENCE_WORDS
    ):
        return f"{before} {word}"
    return word


# words that open a Korean sentence or clause, never a given name ("이날 블링컨 ...")
_KO_SENTENCE_WORDS = frozenset(
    "이날 지난 오늘 어제 내일 또한 한편 특히 이어 당시 또 이번 최근 앞서 현재 이후 그러나 "
    "아울러 다만 먼저 이에 같은 해 올해 작년".split()
)


def _korean_name(word: str, surnames: frozenset[str]) -> bool:
    """A Korean name: a family name and (mostly) two syllables; not a body ("국무원") nor a
    word with a particle ("기술력과 시장": "technology and the market")."""
    return (
        re.fullmatch(r"[\uac00-\ud7af]{3,4}", word) is not None
        and word[0] in surnames
        and word[-1] not in "과와의을를에로"
        and word[-1] not in "부원실청처국회관"[: 8 if len(word) == 3 else 0]
    )


def _qualifier(word: str) -> bool:
    """A word that may stand between a name and an office: a body, a place, a rank."""
    return re.fullmatch(r"[\uac00-\ud7af\d]+(?:\([^)]*\))?", word) is not None and (
        word[-1] in "부원실청처국시도군구회관" or len(word) >= 3 or _is_country(word)
    )


def _without_short_forms(mentions: list[Mention]) -> list[Mention]:
    """Short mentions ("何", "前田", "윤", "ティラソン") that start or end a full name found in
    the text are that person's: left out, the full name stands for them."""
    names = {m.name for m in mentions}
    out = []
    for m in mentions:
        longer = [
            n
            for n in names
            if n != m.name and (n.startswith(m.name) or n.endswith(("・" + m.name, " " + m.name)))
        ]
        if not longer:
            out.append(m)
    return out
