"""Qt item models over check results: the violations table, its filter, the rules list."""

from app.gui.models.rules import RulesModel
from app.gui.models.violations import ViolationsFilter, ViolationsModel

__all__ = ["RulesModel", "ViolationsFilter", "ViolationsModel"]
