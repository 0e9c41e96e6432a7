"""Gazetteer: GeoNames-derived places, curated Syrian places and regions, user imports."""
from ahdath.geo.records import PlaceRecord, distance_km, name_key
from ahdath.geo.store import Gazetteer

__all__ = ["Gazetteer", "PlaceRecord", "distance_km", "name_key"]
