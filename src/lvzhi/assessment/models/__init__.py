"""Models of the assessment app: the library (frameworks, star rules), campaigns with their
assessments and scores, appeals, and mutual evaluations."""

from .campaign import Appeal, Assessment, Campaign, Score
from .library import Aspect, Criterion, Framework, IndicatorRule, StarRule, plain, quantize
from .mutual import DIMENSIONS, MutualEvaluation

__all__ = [
    "DIMENSIONS", "Appeal", "Aspect", "Assessment", "Campaign", "Criterion", "Framework", "IndicatorRule",
    "MutualEvaluation", "Score", "StarRule", "plain", "quantize",
]
