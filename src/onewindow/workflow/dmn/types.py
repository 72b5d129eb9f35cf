"""DMN ``typeRef`` checks on decision results (DMN 1.3 §10.3.2.9.4, simplified).

A decision's value is converted to and from a singleton list when its declared type asks for
it, and becomes null (None) when it does not conform to the declared type. Known: the FEEL
built-in types number, string, boolean, date and date-time, and item definitions that are a
collection of one of them or a structure of components. Other types (functions, durations,
times, unknown names) are not checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lxml import etree

_BUILT_IN = {"number", "string", "boolean", "date", "dateTime", "date and time"}


@dataclass(frozen=True)
class TypeRef:
    name: str
    base: str | None = None  # a built-in name, or None for a structure / unchecked type
    collection: bool = False
    components: tuple[tuple[str, TypeRef], ...] = ()
    checked: bool = True


UNCHECKED = TypeRef("Any", checked=False)


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def item_definitions(root: Any) -> dict[str, TypeRef]:
    """The item definitions declared at the top of a DMN file, by name."""
    found: dict[str, TypeRef] = {}
    for element in root:
        if _local(element) == "itemDefinition" and element.get("name"):
            found[element.get("name")] = _item(element)
    return found


def _item(element: Any) -> TypeRef:
    name = element.get("name") or ""
    collection = element.get("isCollection") == "true"
    base = (
        next((c.text or "").strip() for c in element if _local(c) == "typeRef")
        if any(_local(c) == "typeRef" for c in element)
        else None
    )
    components = tuple(
        (c.get("name") or "", _item(c)) for c in element if _local(c) == "itemComponent"
    )
    if any(_local(c) == "functionItem" for c in element):
        return TypeRef(name, checked=False)
    if base is not None and base not in _BUILT_IN:
        return TypeRef(name, checked=False)
    return TypeRef(name, base=base, collection=collection, components=components)


def resolve(type_ref: str | None, definitions: dict[str, TypeRef]) -> TypeRef:
    if not type_ref:
        return UNCHECKED
    if type_ref in _BUILT_IN:
        return TypeRef(type_ref, base=type_ref)
    return definitions.get(type_ref, UNCHECKED)


def _scalar_conforms(value: Any, base: str) -> bool:
    if base == "number":
        return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    if base == "string":
        return isinstance(value, str)
    if base == "boolean":
        return isinstance(value, bool)
    if base == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, dt.datetime)


def conform(value: Any, type_ref: TypeRef) -> Any:
    """`value` converted to `type_ref`, or None when it does not conform."""
    if value is None or not type_ref.checked:
        return value
    if type_ref.collection:
        items = value if isinstance(value, list) else [value]
        element = TypeRef(type_ref.name, type_ref.base, components=type_ref.components)
        converted = [conform(item, element) for item in items]
        return (
            None
            if any(c is None and i is not None for c, i in zip(converted, items, strict=True))
            else converted
        )
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if type_ref.components:
        if not isinstance(value, dict):
            return None
        for name, component in type_ref.components:
            if name not in value or (
                value[name] is not None and conform(value[name], component) is None
            ):
                return None
        return value
    if type_ref.base is None:
        return value
    return value if _scalar_conforms(value, type_ref.base) else None
