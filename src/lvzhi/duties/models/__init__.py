"""Models of the three lists: 权责清单, 职责边界清单, 职责任务清单 and 三定 execution checks."""

from .lexicon import FinderLexicon
from .matters import MATTER_PARTICIPANTS, DutyPoint, Matter, MatterLink
from .powers import (
    ELEMENT_FIELDS,
    POWER_TYPE_SYNONYMS,
    PowerAdjustment,
    PowerItem,
    PowerList,
    PowerListEdition,
    PowerType,
)
from .tasks import DutyTask, MandateCheck, current_period, period_end, period_label, valid_period

__all__ = [
    "ELEMENT_FIELDS",
    "MATTER_PARTICIPANTS",
    "POWER_TYPE_SYNONYMS",
    "DutyPoint",
    "DutyTask",
    "FinderLexicon",
    "MandateCheck",
    "Matter",
    "MatterLink",
    "PowerAdjustment",
    "PowerItem",
    "PowerList",
    "PowerListEdition",
    "PowerType",
    "current_period",
    "period_end",
    "period_label",
    "valid_period",
]
