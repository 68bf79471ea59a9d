"""The model every stage shares: the Document loaders make, the View renderers read,
the OutputSpec that names each file, and the marks builders and checks agree on."""

from .document import (AudienceSettings, Block, Document, Evidence, FillInField, FillInPlan,
                       Image, Link, Reference, SafetyStatement, Section, SectionItem, Study,
                       Topic, Training, Unit, audience_sections, audience_units, section_units)
from .names import AUDIENCES, PAPERS, RTL_LANGUAGES, is_right_to_left
from .outputs import OutputSpec
from .view import TemplateStrings, View

__all__ = ["AUDIENCES", "PAPERS", "RTL_LANGUAGES", "AudienceSettings", "Block", "Document",
           "Evidence", "FillInField", "FillInPlan", "Image", "Link", "OutputSpec", "Reference",
           "SafetyStatement", "Section", "SectionItem", "Study", "TemplateStrings", "Topic",
           "Training", "Unit", "View", "audience_sections", "audience_units", "is_right_to_left",
           "section_units"]
