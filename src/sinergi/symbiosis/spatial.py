"""Where parks are and which are near each other: coordinates, distances and a spatial index.

Distances are great-circle distances on a sphere of the IUGG mean Earth radius, multiplied by a
detour factor (``transport.yaml``) to approximate road or sea routes. Two companies in the same
park are :func:`park_internal_km` apart: the mean distance between two points spread uniformly
over a square of the park's area.

Neighbour search uses :class:`ParkIndex`, a :class:`scipy.spatial.cKDTree` on 3-D unit vectors:
a great-circle radius is an exact chord radius, so a ball query finds every park within a
distance without comparing all pairs, and without trouble at the antimeridian or poles.

    >>> index = ParkIndex(["a", "b", "c"], np.array([-6.3, -6.4, 0.5]),
    ...                   np.array([107.1, 107.2, 127.9]))
    >>> index.within(0, 50.0)
    [0, 1]
    >>> round(great_circle_km(-6.3, 107.1, -6.4, 107.2), 1)
    15.7
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from sinergi.errors import LocationError

FloatArray = NDArray[np.float64]

#: IUGG mean Earth radius R1 in km (Moritz 2000, Geodetic Reference System 1980).
EARTH_RADIUS_KM = 6371.0088
#: Mean distance between two uniform random points in a unit square:
#: (2 + sqrt 2 + 5 ln(1 + sqrt 2)) / 15 (a classical result of geometric probability).
SQUARE_MEAN_DISTANCE = (2.0 + math.sqrt(2.0) + 5.0 * math.log(1.0 + math.sqrt(2.0))) / 15.0


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """A latitude/longitude box that valid coordinates must fall in (degrees)."""

    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float

    def contains(self, lat: float, lon: float) -> bool:
        """Return whether the point lies in the box (edges included)."""
        return self.lat_min <= lat <= self.lat_max and self.lon_min <= lon <= self.lon_max


def check_coordinates(
    park_id: str, lat: float | None, lon: float | None, box: BoundingBox
) -> tuple[float, float] | None:
    """Return a park's coordinates, ``None`` when both are missing, or refuse bad ones.

    Raises
    ------
    LocationError
        When only one coordinate is given, or the point is outside the bounding box, naming the
        park and the field.
    """
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        field = "latitude" if lat is None else "longitude"
        raise LocationError(
            f"park {park_id!r}, field {field}: missing while the other "
            "coordinate is given; give both or neither"
        )
    if not box.lat_min <= lat <= box.lat_max:
        raise LocationError(
            f"park {park_id!r}, field latitude: {lat} is outside Indonesia's bounding box "
            f"({box.lat_min}..{box.lat_max}); check the sign (south is negative) and that "
            "latitude and longitude are not swapped"
        )
    if not box.lon_min <= lon <= box.lon_max:
        raise LocationError(
            f"park {park_id!r}, field longitude: {lon} is outside Indonesia's bounding box "
            f"({box.lon_min}..{box.lon_max}); give degrees east and check latitude and "
            "longitude are not swapped"
        )
    return lat, lon


def unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Return points on the unit sphere (n x 3) for latitudes and longitudes in degrees."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the haversine great-circle distance between two points in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def chord_for_km(km: float) -> float:
    """Return the unit-sphere chord length of a great-circle distance in km."""
    angle = min(km / EARTH_RADIUS_KM, math.pi)
    return 2.0 * math.sin(angle / 2.0)


def park_internal_km(area_ha: float | None) -> float:
    """Return the straight-line distance assumed between two tenants of one park.

    The mean distance between two points spread uniformly over a square of the park's area;
    0 when the area is unknown.

    >>> round(park_internal_km(100.0), 4)  # 1 km2
    0.5214
    """
    if area_ha is None or area_ha <= 0:
        return 0.0
    return SQUARE_MEAN_DISTANCE * math.sqrt(area_ha / 100.0)


class ParkIndex:
    """A spatial index over parks that have coordinates, queried by great-circle radius."""

    def __init__(self, park_ids: Sequence[str], lat: FloatArray, lon: FloatArray) -> None:
        self.park_ids = list(park_ids)
        self.lat = np.asarray(lat, dtype=np.float64)
        self.lon = np.asarray(lon, dtype=np.float64)
        self._tree = cKDTree(unit_vectors(self.lat, self.lon)) if len(self.park_ids) else None

    def within(self, i: int, km: float) -> list[int]:
        """Return the (sorted) indices of parks within ``km`` great-circle km of park ``i``.

        The ball query is widened by a relative 1e-9 so rounding in the chord never drops a
        park; callers re-check the exact distance with :func:`great_circle_km`.
        """
        if self._tree is None:
            return []
        point = unit_vectors(self.lat[i : i + 1], self.lon[i : i + 1])[0]
        found = self._tree.query_ball_point(point, chord_for_km(km) * (1.0 + 1e-9) + 1e-12)
        return sorted(int(j) for j in found)

    def distance_km(self, i: int, j: int) -> float:
        """Return the great-circle distance between parks ``i`` and ``j``."""
        return great_circle_km(self.lat[i], self.lon[i], self.lat[j], self.lon[j])
