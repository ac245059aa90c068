"""pip's requirements files read from a tree given as text: -r and -c chains, markers, extras,
direct URLs, and what is left out with a note (local paths, pip's options)."""

from __future__ import annotations

import textwrap

from migrator.model.dependencies.requirement_files import read_requirement_files


def _read(files: dict[str, str], *paths: str):
    texts = {path: textwrap.dedent(text).lstrip("\n") for path, text in files.items()}
    return read_requirement_files(list(paths), texts.get)


def test_a_chain_of_includes_is_read_relative_to_each_file() -> None:
    found = _read({
        "requirements.txt": "# Heroku's\n-r requirements/heroku.txt\n",
        "requirements/heroku.txt": "-r prod.txt\ngunicorn==19.7.1\n",
        "requirements/prod.txt": "-r common.txt\n",
        "requirements/common.txt": "Flask==0.12.2\nFlask-Login==0.4.0  # sessions\n",
    }, "requirements.txt")
    assert found.requirements == ("Flask==0.12.2", "Flask-Login==0.4.0", "gunicorn==19.7.1")
    assert found.files == ("requirements.txt", "requirements/heroku.txt", "requirements/prod.txt", "requirements/common.txt")
    assert found.notes == ()


def test_markers_extras_continuations_and_hashes() -> None:
    found = _read({"requirements.txt": """
        uvloop>=0.17 ; sys_platform != "win32"
        celery[redis,msgpack]==5.3.4 \\
            --hash=sha256:0123456789abcdef
        --requirement=more.txt
        """, "more.txt": "requests>=2,<3\n"}, "requirements.txt")
    assert found.requirements == ("celery[msgpack,redis]==5.3.4", "requests<3,>=2", 'uvloop>=0.17; sys_platform != "win32"')


def test_constraints_pin_only_what_is_required() -> None:
    found = _read({
        "requirements.txt": "-c constraints.txt\nDjango>=4\nrequests\n",
        "constraints.txt": "django==4.2.11\nurllib3<2\n",
    }, "requirements.txt")
    assert found.requirements == ("Django==4.2.11,>=4", "requests")
    assert found.notes == ("constraints on distributions no requirement names are not carried over: urllib3",)


def test_the_same_distribution_twice_is_one_line() -> None:
    found = _read({"a.txt": "-r b.txt\nFlask_SQLAlchemy>=2\n", "b.txt": "flask-sqlalchemy[async]==2.2\n"}, "a.txt")
    assert found.requirements == ("flask-sqlalchemy[async]==2.2,>=2",)  # named as first read


def test_local_paths_and_pips_options_are_left_out_with_a_note() -> None:
    found = _read({"dev.txt": """
        --index-url https://user:secret@pypi.example.com/simple
        -e .
        ./libs/shared
        -e git+https://github.com/jazzband/django-silk.git@5.0.0#egg=django-silk
        git+https://github.com/org/nameless.git
        requests @ https://example.com/requests-2.31.0-py3-none-any.whl
        -r missing.txt
        not a requirement !
        """}, "dev.txt")
    assert found.requirements == ("django-silk @ git+https://github.com/jazzband/django-silk.git@5.0.0",
                                  "requests @ https://example.com/requests-2.31.0-py3-none-any.whl")
    assert found.notes == (
        "dev.txt:1: pip's option --index-url is not carried over",
        "dev.txt:2: . is a local path: left out (the monolith's own code is carried into the services)",
        "dev.txt:3: ./libs/shared is a local path: left out (the monolith's own code is carried into the services)",
        "dev.txt:5: git+https://github.com/org/nameless.git names no distribution (#egg=NAME): left out",
        "dev.txt:7: missing.txt is not there",
        "dev.txt:8: 'not a requirement !' is not a requirement pip or uv understand: left out",
    )
    assert "secret" not in "".join(found.notes)


def test_a_file_that_includes_itself_is_read_once() -> None:
    found = _read({"a.txt": "-r b.txt\nsix\n", "b.txt": "-r a.txt\nattrs\n"}, "a.txt")
    assert (found.requirements, found.files) == (("attrs", "six"), ("a.txt", "b.txt"))
