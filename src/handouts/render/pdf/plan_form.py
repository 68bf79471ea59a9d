"""The patient's plan as a PDF form: a text field per line, a check box per support.

Fields are named after the plan's field ids in topic.yaml, tick boxes after
their place (support-1, support-2, ...), so a therapist can type the plan in
any PDF reader, and `handouts fill` can set them by name. Values arrive as
the OutputSpec's "fill" option: ((name, value), ...); a tick box's value is
"on".
"""

from __future__ import annotations

from ...model import FillInPlan
from ...model.inline import plain_text

MAX_VALUE_LENGTH = 200  # a plan line holds a few words ("3 times a week, 10 minutes")


def support_name(position: int) -> str:
    """The form field name of the tick box at `position` (counted from 1)."""
    return f"support-{position}"


def plan_context(plan: FillInPlan, render, values: dict[str, str]) -> dict:
    return {
        "fields": [{"id": f.id, "label": render(f.label), "label_text": plain_text(f.label.text),
                    "maxlength": MAX_VALUE_LENGTH, "value": values.get(f.id, "")}
                   for f in plan.fields],
        "supports": [{"name": support_name(i), "html": render(s), "text": plain_text(s.text),
                      "ticked": values.get(support_name(i)) == "on"}
                     for i, s in enumerate(plan.supports, start=1)],
    }
