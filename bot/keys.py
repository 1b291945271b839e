"""Typed keys for what the aiohttp application holds (aiohttp-demos style)."""

from __future__ import annotations

from aiohttp import web

from backend.db import Database
from backend.store import Store
from handlers import Assistant
from nlp import Engine

from .config import Config

CONFIG = web.AppKey("config", Config)
DATABASE = web.AppKey("database", Database)
STORE = web.AppKey("store", Store)
ENGINE = web.AppKey("engine", Engine)
ASSISTANT = web.AppKey("assistant", Assistant)
