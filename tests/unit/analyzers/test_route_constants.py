"""Prefixes held in constants: module-level names, and a settings object's defaults."""

from __future__ import annotations

import ast

from analyzers.routes.constants import _module_constants

SOURCE = '''
from pydantic_settings import BaseSettings

ROOT = "/api"


class Settings(BaseSettings):
    API_V1_STR: str = "/api/v1"
    DOCS = "/docs"
    PORT: int = 8000


settings = Settings()
staging = Settings(API_V1_STR=ROOT + "/v2")
'''


def test_a_settings_object_has_the_defaults_of_its_class_and_what_its_call_passes() -> None:
    constants = _module_constants(ast.parse(SOURCE).body)
    assert constants["Settings.API_V1_STR"] == "/api/v1" and constants["settings.API_V1_STR"] == "/api/v1"
    assert constants["settings.DOCS"] == "/docs" and "settings.PORT" not in constants
    assert constants["staging.API_V1_STR"] == "/api/v2"
