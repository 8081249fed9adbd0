"""Shared fixtures: a small, valid copy of the data package to break in each test,
and one build of the whole book for the build and browser tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from panjbook.paths import DATAPACKAGE, ROOT

VALID_TABLES = {
    "sources.csv": (
        "source_id,publisher,short_name,author,title,published,url,kind,standing,grade,originator,read_via,read_via_kind,language,note,production_note\n"
        "mid-tj-2013-03-01,Ministry of Foreign Affairs of Tajikistan,Tajik MFA,,Tajik-Afghan State border,2013-03-01,https://mid.tj/border,official,"
        "party to the dispute,B,Ministry of Foreign Affairs of Tajikistan,,,en,,\n"
        "tass-2021-10-14,TASS,TASS,,\"Drills, with a comma\",2021-10-14,https://tass.com/1,wire,state-controlled media,D,TASS,,,en,,\n"
        "sputnik-2021-07-07,Sputnik,Sputnik,,Soldiers sent back,2021-07-07,https://www.urdupoint.com/1,wire,state-controlled media,D,Sputnik,UrduPoint,aggregator or mirror,en,"
        "via UrduPoint,title from URL slug\n"
        "menafn-2025-05-18,MENAFN,MENAFN,,Deals signed,2025-05-18,https://menafn.com/1,newspaper,aggregator or mirror,E,MENAFN,,,en,syndicated copy,\n"
        "un-2021-10-01,UNHCR,UNHCR,,Refugee figures,2021-10-01,https://unhcr.org/1,official,government or intergovernmental body,A,UNHCR,ReliefWeb,official document host,en,,\n"
    ),
    "actors.csv": (
        "actor_id,name,kind,iso3,source_ids\n"
        "csto,Collective Security Treaty Organization,intergovernmental organisation,,tass-2021-10-14\n"
        "tajikistan,Tajikistan,state,TJK,mid-tj-2013-03-01\n"
        "taliban,Taliban,armed group,,tass-2021-10-14\n"
    ),
    "memberships.csv": (
        "organisation_id,member_id,status,since,until,source_ids\n"
        "csto,tajikistan,member,2002-10-07,,tass-2021-10-14\n"
    ),
    "events.csv": (
        "event_id,date,date_precision,end_date,actor_id,counterpart_id,event_type,description,source_ids,alternative_to,note\n"
        "2021-09-2021-drills-announced,2021-09,month,,csto,tajikistan,exercise,Drills announced.,tass-2021-10-14,,\n"
        "2021-10-18-drills-start,2021-10-18,day,2021-10-23,csto,tajikistan,exercise,Drills start.,tass-2021-10-14;mid-tj-2013-03-01,,\n"
        "2021-10-19-drills-start-b,2021-10-19,day,,csto,taliban,exercise,Another date.,tass-2021-10-14,2021-10-18-drills-start,other date\n"
    ),
    "editions.csv": (
        "version,released,data_as_of,summary\n"
        "1.0.0,2026-11-22,2026-01-12,The first edition.\n"
        "2.0.0,2026-12-05,2026-01-12,\"Graded sources, and a changelog.\"\n"
    ),
    "border_lengths.csv": (
        "neighbour_id,length_km,qualifier,river_km,stated_by_id,basis,source_id,note\n"
        "tajikistan,1344.15,,1135.3,tajikistan,official survey,mid-tj-2013-03-01,\n"
        "tajikistan,1400,almost,,tajikistan,official statement,tass-2021-10-14,\n"
    ),
}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A valid miniature of data/ with the real datapackage.json."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy2(DATAPACKAGE, folder / "datapackage.json")
    for name, text in VALID_TABLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """The whole book built once (HTML and PDF) into a temporary _build; returns that folder."""
    from panjbook.build import build

    build_dir = tmp_path_factory.mktemp("book") / "_build"
    build(build_dir, pdf=True)
    return build_dir


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


def offline_chromium(profile: Path, window: str):
    """Headless Debian Chromium driven by selenium, with no network: every host name but
    127.0.0.1 fails to resolve and any proxied request goes nowhere. Logs browser and network."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("chromium and chromedriver are required (scripts/setup.sh test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--window-size={window}", f"--user-data-dir={profile}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--proxy-server=127.0.0.1:9",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
