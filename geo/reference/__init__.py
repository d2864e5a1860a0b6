"""Reference data: schema, gazetteer, provinces, border sectors.

:func:`load_reference` reads the shipped files once per process into one :class:`Reference`.
"""

from geo.reference.reference import Reference, build_reference, load_reference

__all__ = ["Reference", "build_reference", "load_reference"]
