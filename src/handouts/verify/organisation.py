"""Reading the organisation's numbers back from a patient handout.

A handout that says "Call your therapist" must carry the number to call: every
number of the profile is found in the extracted text, and the first one (the
footer's) as many times as there are pages, so no page goes home without it.
Numbers are compared squeezed (without spaces and hyphens), as the extractors
may split a number's groups across text runs.
"""

from __future__ import annotations

from ..model import View
from .results import CheckResult, squeeze


def phone_results(text: str, pages: int, view: View) -> list[CheckResult]:
    org = view.topic.organisation
    if view.audience != "patient" or org is None or not org.phones:
        return []
    printed = squeeze(text)
    missing = [phone.number for phone in org.phones if squeeze(phone.number) not in printed]
    first = org.phones[0].number
    times = printed.count(squeeze(first))
    problems = [f"the number {number} is not printed" for number in missing]
    if times < pages:
        problems.append(f"the number {first} is printed {times} time(s) on {pages} page(s): "
                        "not in every page's footer")
    return [CheckResult("phone-numbers", not problems, "; ".join(problems))]
