"""Domain operations of the duties app: every state change of its models goes through here.

Split by list: ``powers`` (editions, publication, differences, statistics), ``adjustments``,
``powerio`` (import/export, §2), ``matters``, ``checks`` (tasks, execution checks and the
``check_followups`` registry), ``public`` (what the public site may show), ``todos``.
"""

from .checks import CheckFollowup, check_followups, register_check_followup

__all__ = ["CheckFollowup", "check_followups", "register_check_followup"]
