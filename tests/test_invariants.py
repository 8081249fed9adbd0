"""Invariants of the book's judgments: one verdict per claim wherever it is stated, front-page
counts equal to the tables they summarise, one figure for the border, every judgment labelled.

The first group reads the stored outputs of the chapters (which nbval keeps equal to a fresh run)
and the Markdown sources; the second reads the built HTML and PDF that a reader gets.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from panjbook import rules
from panjbook.data import load
from panjbook.paths import BOOK_DIR

VERDICTS = [v["verdict"] for v in rules.verdicts()]
VERDICT_RE = "|".join(sorted(map(re.escape, VERDICTS), key=len, reverse=True))
CLAIM_ID = r"[gc]\d{2}[a-z]?"
# The likelihood scale of Data and methods, with the adverb forms the prose uses.
LIKELIHOOD = ["almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely", "very likely",
              "almost certain", "almost certainly"]
CONFIDENCE = ["low", "moderate", "high"]


# --- reading stored notebooks ----------------------------------------------------------

def _notebook(name: str) -> dict:
    return json.loads((BOOK_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))


def _glue(name: str) -> dict[str, str]:
    """The text values a chapter glues, as stored (quotes stripped)."""
    values = {}
    for cell in _notebook(name)["cells"]:
        for output in cell.get("outputs", []):
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if key and text and text[0] in "'\"":
                values[key] = text[1:-1]
    return values


def _markdown_outputs(name: str) -> list[str]:
    return ["".join(output["data"]["text/markdown"]) for cell in _notebook(name)["cells"]
            for output in cell.get("outputs", []) if "text/markdown" in output.get("data", {})]


def _list_table(name: str, caption: str) -> list[list[str]]:
    """The rows (after the header) of a MyST list-table that a chapter prints, each a list of cell texts."""
    text = next(t for t in _markdown_outputs(name) if caption in t.split("\n", 1)[0])
    body = text.split("\n\n", 1)[1].rsplit("```", 1)[0]
    rows = []
    for block in re.split(r"^\* - ", body, flags=re.M)[1:]:
        rows.append([cell.strip() for cell in re.split(r"^  - ", block, flags=re.M)])
    return rows[1:]


def _markdown_sources() -> dict[str, str]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in BOOK_DIR.glob("*.md")}
    for path in BOOK_DIR.glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts[path.name] = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return texts


def _claims() -> dict[str, str]:
    return dict(zip(load("claims")["claim_id"], load("claims")["verdict"]))


# --- one truth per verdict -------------------------------------------------------------

def test_every_dispute_box_prints_the_verdicts_of_its_claims_and_no_verdict_of_its_own():
    claims = _claims()
    boxes = [t for t in _markdown_outputs("dispute") if t.startswith(":::{admonition}")]
    assert boxes, "no dispute boxes in the stored outputs"
    rows = load("seed_disagreements")
    stated = {}
    for box in "\n\n".join(boxes).split(":::{admonition}")[1:]:
        found = re.findall(rf"claim ({CLAIM_ID}), \*\*({VERDICT_RE})\*\*", box)
        assert found, f"a box states no verdict: {box[:80]!r}"
        for claim_id, verdict in found:
            assert verdict == claims[claim_id], f"box on {claim_id}: {verdict!r}, claims.csv: {claims[claim_id]!r}"
            stated[claim_id] = verdict
    assert set(stated) == {c for ids in rows["claim_ids"] for c in ids}
    # The box's own text (what the book uses and why) must not pass a verdict of its own.
    for row in rows.itertuples():
        for column in ("book_uses", "why", "others_say"):
            assert not re.search(rf"\b({VERDICT_RE})\b", getattr(row, column), re.I), \
                f"seed_disagreements '{row.topic}', {column}: states a verdict; the verdict belongs to claims.csv"


def test_the_scorecard_prints_one_row_per_claim_with_the_verdict_of_claims_csv():
    claims = _claims()
    rows = _list_table("outlook", "Every claim of the seed articles")
    seen = {}
    for cells in rows:
        claim_id = cells[0]
        verdict = re.match(rf"\*\*({VERDICT_RE})\*\*\.", cells[2])
        assert verdict, f"scorecard row {claim_id}: no verdict word of the codebook in {cells[2][:60]!r}"
        assert claim_id not in seen, f"claim {claim_id} is judged twice in the scorecard"
        seen[claim_id] = verdict.group(1)
    assert seen == claims


def test_the_verdict_words_are_defined_where_the_scorecard_is():
    rows = _list_table("outlook", "The verdict words and the rule for each")
    assert [re.sub(r"\*", "", r[0]) for r in rows] == VERDICTS
    assert all(len(r[1]) > 40 for r in rows)
    assert set(_claims().values()) <= set(VERDICTS)


def test_front_page_claim_counts_equal_the_scorecard_table():
    glue = _glue("outlook")
    rows = _list_table("outlook", "Every claim of the seed articles")
    verdicts = [re.match(rf"\*\*({VERDICT_RE})\*\*", r[2]).group(1) for r in rows]
    assert int(glue["n_claims"]) == len(rows)
    keys = {"supported": "n_supported", "partly supported": "n_partly", "unresolved": "n_unresolved", "contradicted": "n_contradicted"}
    for verdict, key in keys.items():
        assert int(glue[key]) == verdicts.count(verdict), key
    assert glue["contradicted_phrase"].startswith(f"{verdicts.count('contradicted')} ")
    # The front page leads with judgments; a claims count there may only be the glued one.
    index = (BOOK_DIR / "index.md").read_text(encoding="utf-8")
    assert not re.search(r"\b\d+ (of \d+ )?claims\b", index)


# --- exercises -------------------------------------------------------------------------

def _exercise_table_rows():
    return _list_table("dispute", "Every sourced figure for the exercises of 2021")


def _meets_the_rule(first_cell: str, region_names: set[str]) -> bool:
    held = re.search(r"Held in: ([^.]+)\.", first_cell)
    assert held, f"exercise row without 'Held in': {first_cell[:80]!r}"
    return held.group(1) in region_names and "Part of:" not in first_cell


def test_exercise_count_follows_the_written_rule_and_the_table():
    actors = load("actors").set_index("actor_id")["name"]
    region = {actors[a] for a in rules.exercise_region()}
    rows = _exercise_table_rows()
    exercises = load("exercises")
    assert len(rows) == exercises["exercise_id"].nunique()
    counted = [r for r in rows if _meets_the_rule(r[0], region)]
    glue = _glue("dispute")
    assert int(glue["n_exercises"]) == len(counted)
    assert int(glue["n_exercises_tajikistan"]) == sum("Held in: Tajikistan." in r[0] for r in counted)
    # The rule itself, from the data: each exercise once, parts with their umbrella, only in the region.
    assert int(glue["n_exercises"]) == int(rules.exercises_counted(exercises)["counted"].sum())
    # An exercise's country and parent are the same on every source version.
    for column in ("location_country_id", "parent_exercise_id"):
        per = exercises.groupby("exercise_id")[column].nunique(dropna=False)
        assert (per == 1).all(), f"exercises.csv: {column} differs between versions of {per[per > 1].index.tolist()}"
    # A count of exercises on the front page may only be the glued one.
    assert not re.search(r"\b\d+ (military )?exercises\b", (BOOK_DIR / "index.md").read_text(encoding="utf-8"))


# --- one figure for the border -----------------------------------------------------------

def _adopted_border() -> str:
    rows = load("border_lengths")
    own = rows[(rows["neighbour_id"] == "tajikistan") & (rows["stated_by_id"] == "tajikistan") & (rows["basis"] == "official survey")]
    assert len(own) == 1
    return f"{own.iloc[0]['length_km']:,.2f}".rstrip("0").rstrip(".")


def test_every_table_and_text_that_gives_one_border_length_gives_the_adopted_one():
    adopted = _adopted_border()
    assert _glue("background")["border_official"].startswith(adopted)
    stances_rows = _list_table("stances", "Memberships and borders of the coded actors")
    tajik = next(r for r in stances_rows if r[0] == "Tajikistan")
    assert tajik[4].startswith(f"{adopted} km"), tajik[4]
    box = next(r for r in load("seed_disagreements").itertuples() if "border" in r.topic.lower())
    assert box.book_uses.startswith(f"{adopted} km"), box.book_uses
    assert adopted in next(r for r in load("claims").itertuples() if r.claim_id == "c13").reasoning


# --- judgments -----------------------------------------------------------------------------

def _judgment_problems(text: str) -> list[str]:
    problems = []
    for match in re.finditer(r"\*\*Judgment\*\*", text):
        before, after = text[max(0, match.start() - 7):match.start()], text[match.end():]
        if before.endswith("marked "):
            continue  # the label named, not used ("judgments are marked **Judgment**")
        head = re.match(rf" \(({'|'.join(CONFIDENCE)}) confidence\): ", after)
        paragraph = after.split("\n\n", 1)[0]
        words = re.findall(rf"\b({'|'.join(sorted(LIKELIHOOD, key=len, reverse=True))})\b", paragraph)
        if not head or not words:
            problems.append(paragraph[:120])
    return problems


def test_every_judgment_label_carries_a_confidence_and_a_likelihood_word():
    for name, text in _markdown_sources().items():
        assert not _judgment_problems(text), f"{name}: {_judgment_problems(text)}"


def test_the_likelihood_scale_is_the_one_data_and_methods_sets_out():
    """One scale: the words the judgments may use are the rows of likelihood_scale.csv, and Data and
    methods prints that table from the data instead of typing the scale."""
    terms = list(load("likelihood_scale")["term"])
    from panjbook.data import read_package

    fields = {f["name"]: f for r in read_package()["resources"] if r["name"] == "judgments" for f in r["schema"]["fields"]}
    assert fields["likelihood"]["constraints"]["enum"] == terms
    assert fields["confidence"]["constraints"]["enum"] == CONFIDENCE
    text = _markdown_sources()["data-and-methods.ipynb"]
    assert "pb.assess.scale()" in "".join("".join(c["source"]) for c in _notebook("data-and-methods")["cells"])
    assert not re.search(r"\(\d+-\d+\)", text), "a band of the scale typed into the prose"


# --- the built book ------------------------------------------------------------------------

class _Text(HTMLParser):
    """A page's visible text, and its tables as lists of rows of cell texts (with each table's caption)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.tables: list[dict] = []
        self._skip = 0
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption" and self.tables:
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag in ("p", "div", "li", "br", "tr", "h1", "h2", "h3"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._skip:
            return
        self.parts.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)

    @property
    def text(self) -> str:
        # Sphinx turns straight quotes into typographic ones; the tests match straight ones.
        return " ".join("".join(self.parts).replace("\u2019", "'").replace("\u2018", "'").split())


def _page(built_book: Path, name: str) -> _Text:
    from panjbook.build import html_dir

    parser = _Text()
    parser.feed((html_dir(built_book) / "book" / f"{name}.html").read_text(encoding="utf-8"))
    return parser


def _chapter_pages(built_book: Path) -> list[Path]:
    from panjbook.build import html_dir

    return sorted(p for p in (html_dir(built_book) / "book").glob("*.html"))


def _table(page: _Text, caption: str) -> list[list[str]]:
    table = next(t for t in page.tables if caption in t["caption"])
    return [r for r in table["rows"] if r][1:]


@pytest.mark.build
def test_built_book_judges_each_claim_once_and_as_claims_csv_does(built_book):
    claims = _claims()
    judged: dict[str, set[str]] = {}
    scorecard = _table(_page(built_book, "outlook"), "Every claim of the seed articles")
    for row in scorecard:
        verdict = re.match(rf"({VERDICT_RE})\.", row[2])
        assert verdict, row[:3]
        judged.setdefault(row[0], set()).add(verdict.group(1))
    for path in _chapter_pages(built_book):
        page = _Text()
        page.feed(path.read_text(encoding="utf-8"))
        for claim_id, verdict in re.findall(rf"\bclaim ({CLAIM_ID}), ({VERDICT_RE})\b", page.text):
            judged.setdefault(claim_id, set()).add(verdict)
    for claim_id, words in judged.items():
        assert len(words) == 1, f"claim {claim_id} is judged in different words: {sorted(words)}"
        assert words == {claims[claim_id]}, f"claim {claim_id}: the book says {words}, claims.csv {claims[claim_id]!r}"
    assert set(claims) <= set(judged)


@pytest.mark.build
def test_built_front_page_shows_the_key_judgments_of_the_table(built_book):
    """The front page's key judgments are those of judgments.csv, in rank order, word for word."""
    from panjbook import assess

    index = _page(built_book, "index").text
    keyed = assess.judgments().dropna(subset=["key_rank"]).sort_values("key_rank")
    positions = [index.find(statement) for statement in keyed["statement"]]
    assert all(p >= 0 for p in positions), "a key judgment is missing from the front page"
    assert positions == sorted(positions), "the key judgments are out of rank order"


@pytest.mark.build
def test_built_book_gives_one_figure_for_the_border(built_book):
    from panjbook.build import pdf_path, pdf_text

    adopted = _adopted_border()
    rows = load("border_lengths")
    tajik = rows[rows["neighbour_id"] == "tajikistan"]
    known = {f"{v:,.2f}".rstrip("0").rstrip(".") for v in list(tajik["length_km"]) + list(tajik["river_km"].dropna())}
    texts = {p.name: _page(built_book, p.stem).text for p in _chapter_pages(built_book)}
    texts["the PDF"] = " ".join(pdf_text(pdf_path(built_book)).split())
    for name, text in texts.items():
        # Every length of about the Tajik-Afghan border's size is one that a source in the data gives.
        for figure in re.findall(r"(?<![\d,.])(1,[1-4]\d\d(?:\.\d+)?) ?km", text):
            assert figure in known, f"{name}: {figure} km is no sourced figure of the Tajik-Afghan border"
    assert f"The book uses the Tajik foreign ministry's {adopted} km" in texts["background.html"]
    stances = _table(_page(built_book, "stances"), "Memberships and borders of the coded actors")
    assert next(r for r in stances if r[0] == "Tajikistan")[4].startswith(f"{adopted} km")


@pytest.mark.build
def test_built_book_marks_every_judgment_with_confidence_and_likelihood(built_book):
    """Every printed judgment carries a likelihood word with its band and, in another sentence, a
    confidence; each chapter prints as many judgments as judgments.csv gives it."""
    from panjbook import assess

    table = assess.judgments()
    terms = "|".join(sorted(map(re.escape, load("likelihood_scale")["term"]), key=len, reverse=True))
    for path in _chapter_pages(built_book):
        text = _page(built_book, path.stem).text
        # "Judgment." opens a printed judgment; "marked Judgment." is prose that explains the label.
        printed = [m.start() for m in re.finditer(r"(?<!marked )Judgment\. ", text)]
        assert len(printed) == int((table["chapter"] == path.stem).sum()), path.name
        for start in printed:
            paragraph = text[start:start + 2500]
            assert re.search(rf"\((?:{terms}): \d+-\d+ per cent\.\)", paragraph), f"{path.name}: no band near {paragraph[:80]!r}"
            assert re.search(rf"Confidence: ({'|'.join(CONFIDENCE)})\.", paragraph), f"{path.name}: no confidence near {paragraph[:80]!r}"

