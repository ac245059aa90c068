"""What a project declares it needs, read from its own files and never by running any of them:
pip requirements files (with their -r and -c chains), pyproject.toml ([project], Poetry,
dependency groups), Pipfile, setup.cfg, setup.py (through ast), and the pins of uv.lock,
poetry.lock and Pipfile.lock. Pure: the files' texts come in, PEP 508 lines go out;
``migrator.pipeline.dependencies`` finds the project and reads its files."""
