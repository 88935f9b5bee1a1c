"""Models of the 12345 hotline module."""

from .disputes import Dispute, DisputeDecision
from .records import ImportRun, RoutingModel, RuleSet
from .tickets import DepartmentAlias, Kind, Satisfaction, Ticket, TicketReturn

__all__ = [
    "DepartmentAlias",
    "Dispute",
    "DisputeDecision",
    "ImportRun",
    "Kind",
    "RoutingModel",
    "RuleSet",
    "Satisfaction",
    "Ticket",
    "TicketReturn",
]
