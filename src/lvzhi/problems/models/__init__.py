from .finding import Inspection, Survey, SurveyAnswer, SurveyResponse
from .problem import (
    OPEN_STATES,
    BODY_SOURCE,
    ExtensionRequest,
    Problem,
    ProblemEvent,
    ProblemLink,
    RectificationNotice,
    RectificationReport,
    Reminder,
    SavedView,
    Source,
    State,
)
from .sharing import Clue, PolicyRecommendation, ProblemShare
from .taxonomy import (
    CalendarDay,
    ProblemCategory,
    ProblemType,
    QuestionnaireTemplate,
    ResearchOutline,
    Severity,
    Taxonomy,
)

__all__ = [
    "BODY_SOURCE", "CalendarDay", "Clue", "ExtensionRequest", "Inspection", "OPEN_STATES", "PolicyRecommendation",
    "Problem", "ProblemCategory", "ProblemEvent", "ProblemLink", "ProblemShare", "ProblemType", "QuestionnaireTemplate",
    "RectificationNotice", "RectificationReport", "Reminder", "SavedView", "ResearchOutline", "Severity", "Source", "State",
    "Survey", "SurveyAnswer", "SurveyResponse", "Taxonomy",
]
