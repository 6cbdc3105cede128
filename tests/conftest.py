"""Fixtures: a fresh, migrated database per test (SQLite file or PostgreSQL database).

Run against PostgreSQL with ``--database=postgresql`` (or SAFEREPORT_TEST_DATABASE) and
SAFEREPORT_TEST_POSTGRES_URL pointing at a server where we may create databases;
``make test`` starts a throwaway server on loopback for this. ``--database=both`` runs every
test that uses a database once on each (ids end in ``[sqlite]`` / ``[postgresql]``), in one
run that pytest-xdist can spread over every core; tests without a database run once.

Browser tests (Chromium through Playwright) run on SQLite only: they test pages, and the
pages are the same on both. A browser test that does exercise the database is marked
``every_database`` and runs on each. A test whose subject does not depend on the database
(audio, posters, one language's words) is marked ``one_database`` and runs on SQLite only;
storage, intake, calls, the queue and the workers run on both. A test of something only
PostgreSQL has (several app servers on one database, PgBouncer) is marked ``postgres_only``:
it runs on PostgreSQL and is skipped, with the reason, on SQLite.
"""

from __future__ import annotations

import functools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.templating import Environment as FlaskEnvironment
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from playwright.sync_api import Playwright, sync_playwright
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from werkzeug.routing import Rule

from safeguarding import staff_auth
from safeguarding.clock import FixedClock
from safeguarding.services import Services
from safereport.app import create_app
from safereport.config import Config
from safereport.services import build_services
from storage.db import make_engine
from storage.migrate import upgrade
from tests.support.pg_worker import WorkerDatabase
from tests.support.schedule import HeaviestFirst

pytest_plugins = ["tests.support.run_wide"]

START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

# Property tests are reproducible in CI: the same examples every run, none remembered
# between runs. HYPOTHESIS_PROFILE=explore looks further, with fresh random examples.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=50,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "explore", settings.get_profile("ci"), derandomize=False, max_examples=500
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=("sqlite", "postgresql", "both"),
        default=os.environ.get("SAFEREPORT_TEST_DATABASE", "sqlite"),
        help="which database the tests run against (both: each test that uses one, on each)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"safereport database: {config.getoption('--database')}"


def _kinds(config: pytest.Config) -> list[str]:
    chosen: str = config.getoption("--database")
    return ["sqlite", "postgresql"] if chosen == "both" else [chosen]


def _is_browser_test(node: pytest.Item | pytest.Function, fixturenames: list[str]) -> bool:
    """Drives Chromium: marked so, uses the Playwright driver, or lives in a browser module."""
    return (
        node.get_closest_marker("browser") is not None
        or "playwright" in fixturenames
        or "browser" in node.path.stem
        or "browser" in node.path.parent.name
    )


def _once_is_enough(node: pytest.Item | pytest.Function, fixturenames: list[str]) -> bool:
    """Browser tests (unless every_database) and tests whose subject is not storage
    (one_database: audio, posters, a language's words) run on SQLite only."""
    if node.get_closest_marker("one_database") is not None:
        return True
    return _is_browser_test(node, fixturenames) and not node.get_closest_marker("every_database")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    kinds = _kinds(metafunc.config)
    if "database_kind" not in metafunc.fixturenames or len(kinds) == 1:
        return
    if _once_is_enough(metafunc.definition, metafunc.fixturenames):
        kinds = kinds[:1]
    if metafunc.definition.get_closest_marker("postgres_only") is not None:
        kinds = ["postgresql"]
    # Module scope: a module's tests on one database run together (its module fixtures are
    # made once), and the modules can run in any order (tests/support/schedule.py).
    metafunc.parametrize("database_kind", kinds, indirect=True, scope="module")


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):  # a parallel run: see tests/support/schedule.py
        config.pluginmanager.register(HeaviestFirst(), "heaviest-first")


@pytest.hookimpl(tryfirst=True)  # the markers are in place before -m selects by them
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    postgresql_only = _kinds(config) == ["postgresql"]
    for item in items:
        fixturenames = list(getattr(item, "fixturenames", ()))
        if _is_browser_test(item, fixturenames):
            item.add_marker(pytest.mark.browser)
        if postgresql_only and _once_is_enough(item, fixturenames):
            item.add_marker(pytest.mark.skip(reason="runs on SQLite only (see tests/conftest.py)"))
        if "postgresql" not in _kinds(config) and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: --database=postgresql"))


@pytest.fixture(scope="module")
def database_kind(request: pytest.FixtureRequest) -> str:
    kind: str = getattr(request, "param", None) or request.config.getoption("--database")
    return kind


def _worker() -> str:
    """This pytest-xdist worker (gw0, gw1, ...), or "main": databases named apart per worker."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


class _Databases:
    """Each kind's migrated template, and on PostgreSQL this worker's database, made the
    first time a test needs them and kept to the end of the run: a worker may go from
    SQLite tests to PostgreSQL ones and back (tests/support/schedule.py orders modules by
    weight, not by database) without migrating again."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp_path_factory = tmp_path_factory
        self._templates: dict[str, str] = {}
        self._worker_database: WorkerDatabase | None = None

    def template(self, kind: str) -> str:
        if kind not in self._templates:
            self._templates[kind] = self._migrated(kind)
        return self._templates[kind]

    def worker_database(self) -> WorkerDatabase:
        if self._worker_database is None:
            admin_url = _postgres_admin_url()
            self._worker_database = WorkerDatabase(
                _admin_engine(admin_url), admin_url, self.template("postgresql"), _worker()
            )
        return self._worker_database

    def close(self) -> None:
        if self._worker_database is not None:
            self._worker_database.drop()
        if (name := self._templates.get("postgresql")) is not None:
            admin_url = _postgres_admin_url()
            _postgres_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _admin_engine(admin_url).dispose()  # its connection closed now, not by the collector
            _admin_engine.cache_clear()

    def _migrated(self, kind: str) -> str:
        """A migrated database that each test's fresh database is copied from."""
        if kind == "sqlite":
            path = self._tmp_path_factory.mktemp("template") / "template.db"
            engine = make_engine(f"sqlite:///{path}")
            upgrade(engine)
            engine.dispose()
            return str(path)
        admin_url = _postgres_admin_url()
        name = f"sr_template_{_worker()}_{uuid.uuid4().hex[:8]}"
        _postgres_admin(admin_url, f'CREATE DATABASE "{name}"')
        engine = make_engine(str(make_url(admin_url).set(database=name)))
        upgrade(engine)
        engine.dispose()
        return name


def _postgres_admin_url() -> str:
    url = os.environ.get("SAFEREPORT_TEST_POSTGRES_URL")
    if not url:
        pytest.exit("--database=postgresql needs SAFEREPORT_TEST_POSTGRES_URL (see make test)", 2)
    return url


@functools.cache
def _admin_engine(admin_url: str) -> Engine:
    """CREATE and DROP DATABASE, now rare (a worker's database is put back, not made, per
    test): a connection each time, closed at once, so none sits idle for a test that
    restarts or empties the server to break."""
    return create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _postgres_admin(admin_url: str, statement: str) -> None:
    with _admin_engine(admin_url).connect() as connection:
        connection.execute(text(statement))


@pytest.fixture(scope="session")
def _databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Databases]:
    databases = _Databases(tmp_path_factory)
    yield databases
    databases.close()


@pytest.fixture(scope="module")
def _template(database_kind: str, _databases: _Databases) -> str:
    return _databases.template(database_kind)


@pytest.fixture(scope="module")
def _worker_database(database_kind: str, _databases: _Databases) -> WorkerDatabase | None:
    """PostgreSQL: this worker's one database, put back before each test (its docstring
    says how, and why it is as good as a fresh copy)."""
    return None if database_kind == "sqlite" else _databases.worker_database()


@pytest.fixture
def database_url(
    database_kind: str, _template: str, _worker_database: WorkerDatabase | None, tmp_path: Path
) -> str:
    if _worker_database is not None:
        return _worker_database.fresh()
    path = tmp_path / "safereport.db"
    shutil.copyfile(_template, path)
    return f"sqlite:///{path}"


def postgres_database_from(template: str) -> Iterator[str]:
    """A fresh PostgreSQL database copied from the migrated template, dropped afterwards
    (for fixtures of a wider scope than ``database_url``)."""
    admin_url = _postgres_admin_url()
    name = f"sr_test_{_worker()}_{uuid.uuid4().hex[:12]}"
    # FILE_COPY: a small template is copied faster as files than through the WAL.
    _postgres_admin(admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    yield str(make_url(admin_url).set(database=name).render_as_string(hide_password=False))
    _postgres_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One Playwright driver for the whole run: its sync API allows only one per thread."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def config(tmp_path: Path, database_url: str) -> Config:
    return Config(instance_path=tmp_path / "instance", database_url=database_url, testing=True)


@pytest.fixture
def services(config: Config, clock: FixedClock) -> Iterator[Services]:
    built = build_services(config, clock=clock)
    yield built
    built.db.dispose()


@pytest.fixture
def app(config: Config, services: Services) -> Flask:
    return create_app(config, services=services)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(autouse=True, scope="session")
def _url_builders_compiled_once() -> Iterator[None]:
    """Each test makes its own app, and werkzeug compiles Python source for every URL rule
    of every app: 0.15 s an app, measured as the largest part of a short test's setup. The
    builder it compiles depends only on the rule's parsed parts and defaults (the converters
    are looked up on the rule when it is called), so the same rule reuses one builder. The
    apps the tests start as processes compile their own, as in production."""
    original = Rule._compile_builder
    built: dict[object, Callable[..., tuple[str, str]]] = {}

    def compile_once(rule: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        defaults = sorted((key, repr(value)) for key, value in (rule.defaults or {}).items())
        key = (tuple(rule._trace), rule.rule, append_unknown, tuple(defaults))
        if key not in built:
            built[key] = original(rule, append_unknown)
        return built[key]

    Rule._compile_builder = compile_once  # type: ignore[method-assign, assignment]
    yield
    Rule._compile_builder = original  # type: ignore[method-assign]


class _SharedTemplateCode(BytecodeCache):
    """Compiled templates kept in memory for the whole run, keyed by name and checked
    against the source's checksum by Jinja itself, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(autouse=True, scope="session")
def _templates_compiled_once() -> Iterator[None]:
    """Each test makes its own app, and each app's Jinja environment parsed and compiled
    every template it rendered again: about 70 ms a template, measured as most of a short
    staff-page test. Every app the tests make shares one bytecode cache, as a production
    server's workers could share Jinja's file cache; the apps the tests start as processes
    compile their own."""
    original = Flask.create_jinja_environment
    shared = _SharedTemplateCode()

    def with_shared_code(app: Flask) -> FlaskEnvironment:
        environment = original(app)
        environment.bytecode_cache = shared
        return environment

    Flask.create_jinja_environment = with_shared_code  # type: ignore[method-assign, assignment]
    yield
    Flask.create_jinja_environment = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 at its lowest cost inside the test process: the production cost (3 passes over
    64 MiB, about 60 ms a hash here) made the staff tests three times slower. Still real
    argon2id; tests/core/test_password_cost.py holds the production setting, and servers the
    tests start as processes (gunicorn, the demo, commands) use it."""
    saved = staff_auth.password_hasher
    staff_auth.password_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    staff_auth.password_hasher = saved
