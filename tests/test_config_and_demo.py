"""Settings from the environment, and the demo data of the acceptance environment."""

import pytest

from app import config
from app.registry.demo import DEMO_IDENTITIES, load_demo_data
from app.registry.tables import Employment, Enterprise, Person


@pytest.fixture
def fresh_settings(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "VAR_DIR", tmp_path)
    config.get_settings.cache_clear()
    yield monkeypatch
    config.get_settings.cache_clear()


def test_production_requires_a_secret_key(fresh_settings):
    fresh_settings.setenv("GUICHET_ENV", "production")
    fresh_settings.delenv("GUICHET_SECRET_KEY")
    with pytest.raises(config.ConfigurationError, match="GUICHET_SECRET_KEY is required"):
        config.get_settings()


def test_acceptance_generates_and_keeps_its_secret_key(fresh_settings, tmp_path):
    fresh_settings.delenv("GUICHET_SECRET_KEY")
    first = config.get_settings().secret_key
    config.get_settings.cache_clear()
    assert config.get_settings().secret_key == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert len(first) >= 32


def test_unknown_environment_and_database_are_refused(fresh_settings):
    fresh_settings.setenv("GUICHET_ENV", "staging")
    with pytest.raises(config.ConfigurationError, match="GUICHET_ENV"):
        config.get_settings()
    fresh_settings.setenv("GUICHET_ENV", "acceptance")
    fresh_settings.setenv("GUICHET_DATABASE_URL", "mysql://x")
    with pytest.raises(config.ConfigurationError, match="GUICHET_DATABASE_URL"):
        config.get_settings()


def test_default_database_is_an_sqlite_file_under_var(fresh_settings, tmp_path):
    fresh_settings.delenv("GUICHET_DATABASE_URL")
    assert config.get_settings().database_url == f"sqlite:///{tmp_path / 'guichet.sqlite3'}"


async def test_demo_data_loads_the_six_identities_once(database):
    await load_demo_data()
    await load_demo_data()
    assert await Person.count() == 6
    assert await Enterprise.count() == 3
    assert await Employment.count() == 6
    marie = await Person.objects().get(Person.username == "marie.dubois")
    assert (marie.niss, marie.language) == ("88041200259", "fr")
    tilleuls = await Enterprise.objects().get(Enterprise.enterprise_number == "0412345614")
    assert (tilleuls.workers_under_contract, tilleuls.commission_paritaire) == (42, "330")
    officers = await Employment.select(Employment.person.username).where(
        Employment.role == "personnel_officer"
    )
    assert sorted(row["person.username"] for row in officers) == ["karim.benali", "sophie.laurent"]
    assert len(DEMO_IDENTITIES) == 6


def test_a_production_server_needs_its_public_address(fresh_settings):
    """E-mail links are built from GUICHET_PUBLIC_URL, never from a Host header a client chose."""
    fresh_settings.setenv("GUICHET_ENV", "production")
    fresh_settings.setenv("GUICHET_SECRET_KEY", "x" * 48)
    fresh_settings.delenv("GUICHET_PUBLIC_URL", raising=False)
    with pytest.raises(config.ConfigurationError, match="GUICHET_PUBLIC_URL is required"):
        config.check_can_serve(config.get_settings())
    config.get_settings.cache_clear()
    fresh_settings.setenv("GUICHET_PUBLIC_URL", "https://guichet.example.be/")
    settings = config.get_settings()
    config.check_can_serve(settings)
    assert settings.public_url == "https://guichet.example.be"
