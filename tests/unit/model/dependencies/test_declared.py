"""Requirement lines combined: one line per distribution, and a tool's own that give way to the project's."""

from __future__ import annotations

from migrator.model.dependencies.declared import adapted, joined_markers, merged


def test_one_line_per_distribution_and_marker_sorted_by_name() -> None:
    assert merged(["Flask>=1", "requests", "flask[async]==1.0.4", 'uvloop; sys_platform != "win32"', "uvloop==0.19", "not ok !"]) == [
        "Flask[async]==1.0.4,>=1", "requests", "uvloop==0.19", 'uvloop; sys_platform != "win32"']


def test_the_projects_pins_win_over_a_tools_own_requirements() -> None:
    project = ["pydantic==1.10.13", "fastapi==0.79.0", "psycopg==3.1.8"]
    own = ["pydantic>=2", "psycopg[binary]", "faststream[nats]>=0.6", "fastapi"]
    assert adapted(project, own) == ["fastapi==0.79.0", "faststream[nats]>=0.6", "psycopg[binary]==3.1.8", "pydantic==1.10.13"]


def test_markers_of_the_ways_to_a_distribution() -> None:
    assert joined_markers([["sys_platform == 'win32'"], ["python_version < '3.11'", "os_name == 'nt'"]]) == (
        '(os_name == "nt" and python_version < "3.11") or sys_platform == "win32"')
    assert joined_markers([["sys_platform == 'win32'"], []]) == ""
