"""The properties a record's fields are written with, and the class of each record type."""

from __future__ import annotations

from kg.ingest.record import LESSON, PRACTICE, RECOMMENDATION, RECORD_TYPES
from kg.vocab import DCT, EK

#: Lesson text field → property IRI.
TEXT_PROPERTIES = {
    "comments": EK + "targetedUsers",
    "challenges": EK + "challenges",
    "success": EK + "success",
    "context": EK + "context",
    "description": DCT + "description",
    "administrative_issues": EK + "administrativeIssues",
}
#: Record type → field → the property that holds the field's verbatim text.
FIELD_PROPERTIES: dict[str, dict[str, str]] = {
    LESSON: TEXT_PROPERTIES,
    PRACTICE: {
        "replication": EK + "replication",
        "cause_effect": EK + "causeEffect",
        "context": EK + "context",
        "description": DCT + "description",
        "links": EK + "links",
        "indicators": EK + "indicators",
    },
    RECOMMENDATION: {
        "title": EK + "recommendationText",
        "date": EK + "dateText",
        "comments": EK + "managementComments",
        "action_plan": EK + "actionPlan",
        "management_response": EK + "managementResponseText",
        "progress": EK + "progressText",
        "admin_units": EK + "adminUnitsText",
        "project_symbols": EK + "projectSymbolsText",
        "information_source": EK + "informationSource",
    },
}
#: A field met on a record of another type keeps the property of the type it belongs to.
_ANY_TYPE = {
    name: prop for kind in reversed(RECORD_TYPES) for name, prop in FIELD_PROPERTIES[kind].items()
}
#: Record type → (class, the evaluation's property that lists it).
TYPE_CLASSES = {
    LESSON: ("Lesson", "hasLesson"),
    PRACTICE: ("GoodPractice", "hasGoodPractice"),
    RECOMMENDATION: ("Recommendation", "hasRecommendation"),
}


def field_property(kind: str, name: str) -> str:
    """The property that holds field ``name`` of a record of type ``kind``."""
    return FIELD_PROPERTIES[kind].get(name) or _ANY_TYPE[name]
