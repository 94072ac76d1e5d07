"""完成时限 from a decomposition table becomes the task's final milestone."""

from datetime import date

import pytest

from plans.importers.review import deadline_date
from plans.models import Milestone
from plans.services import create_plan

from ..conftest import PLAN_STRUCTURE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-06-30", date(2024, 6, 30)),
        ("2024年6月底", date(2024, 6, 30)),
        ("6月底前", date(2024, 6, 30)),
        ("2月", date(2024, 2, 29)),
        ("6月底前完成招标，12月底前验收", date(2024, 12, 31)),
        ("2025年3月", date(2025, 3, 31)),
        ("全年", None),
        ("长期坚持", None),
    ],
)
def test_a_deadline_as_written_is_read_as_the_last_day_it_means(text, expected):
    assert deadline_date(text, 2024) == expected


@pytest.mark.django_db
def test_a_tasks_deadline_becomes_its_milestone(regions, departments):
    structure = {**PLAN_STRUCTURE}
    structure["sections"] = [
        {
            **PLAN_STRUCTURE["sections"][0],
            "tasks": [{**PLAN_STRUCTURE["sections"][0]["tasks"][0], "deadline": "9月底前"}],
        }
    ]
    create_plan(
        structure=structure,
        region=regions["county"],
        departments={"县科技局": departments["bureau"], "县财政局": departments["finance"]},
    )
    milestone = Milestone.objects.get()
    assert milestone.due_date == date(2024, 9, 30)
    assert "9月底前" in milestone.title
