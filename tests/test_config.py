"""Project configuration: discovery, validation errors, environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from smartdev.config import load_config
from smartdev.errors import ConfigError, ExitStatus, NotFoundError


def load(cwd: Path, **environ: str):
    return load_config(cwd=cwd, environ=environ, known_sections={"export"})


def test_defaults_without_any_config(tmp_path: Path) -> None:
    config = load(tmp_path)
    assert config.file is None
    assert config.root == tmp_path.resolve()
    assert config.default_network == "embedded"
    assert config.path("build") == tmp_path.resolve() / "build"
    assert config.network("local").kind == "rpc"
    assert config.network("embedded").kind == "embedded"


def test_found_by_walking_up(tmp_path: Path) -> None:
    (tmp_path / "smartdev.toml").write_text('[paths]\nbuild = "out"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    config = load(deep)
    assert config.file == tmp_path / "smartdev.toml"
    assert config.path("build") == tmp_path.resolve() / "out"


def test_pyproject_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.smartdev]\ndefault_network = "local"\n'
    )
    config = load(tmp_path)
    assert config.file == tmp_path / "pyproject.toml"
    assert config.default_network == "local"


def test_pyproject_without_tool_table_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load(tmp_path).file is None


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "smartdev.toml").write_text("[paths\nbuild = 1\n")
    with pytest.raises(ConfigError) as info:
        load(tmp_path)
    assert "smartdev.toml" in str(info.value)
    assert "invalid TOML" in str(info.value)
    assert "line 1" in str(info.value)
    assert info.value.exit_status == ExitStatus.CONFIG


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    (tmp_path / "smartdev.toml").write_text('[paths]\nbiuld = "out"\n')
    with pytest.raises(ConfigError) as info:
        load(tmp_path)
    message = info.value.one_line()
    assert "paths.biuld" in message
    assert "unknown key" in message
    assert "Did you mean 'build'?" in message


def test_wrong_type_names_key_and_value(tmp_path: Path) -> None:
    (tmp_path / "smartdev.toml").write_text('[networks.dev]\nurl = "http://x:1"\ntimeout = "soon"\n')
    with pytest.raises(ConfigError) as info:
        load(tmp_path)
    message = str(info.value)
    assert "networks.dev.timeout" in message
    assert "'soon'" in message


def test_bad_url_scheme(tmp_path: Path) -> None:
    (tmp_path / "smartdev.toml").write_text('[networks.dev]\nurl = "ftp://example"\n')
    with pytest.raises(ConfigError, match=r"networks\.dev.*must start with http"):
        load(tmp_path)


def test_rpc_network_needs_url(tmp_path: Path) -> None:
    (tmp_path / "smartdev.toml").write_text('[networks.dev]\nkind = "rpc"\n')
    with pytest.raises(ConfigError, match=r"networks\.dev\.url: an rpc network needs a url"):
        load(tmp_path)


def test_builtin_network_override_merges(tmp_path: Path) -> None:
    (tmp_path / "smartdev.toml").write_text('[networks.local]\nurl = "http://127.0.0.1:9999"\n')
    net = load(tmp_path).network("local")
    assert net.url == "http://127.0.0.1:9999"
    assert net.dev_accounts is True  # kept from the built-in definition


def test_unknown_network_suggests(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as info:
        load(tmp_path).network("locl")
    assert "unknown network 'locl'" in str(info.value)
    assert "Did you mean 'local'?" in info.value.one_line()


def test_env_overrides(tmp_path: Path) -> None:
    (tmp_path / "smartdev.toml").write_text('[paths]\nbuild = "out"\n')
    config = load(
        tmp_path,
        SMARTDEV_PATHS__BUILD="elsewhere",
        SMARTDEV_NETWORK="local",
        SMARTDEV_NETWORKS__LOCAL__TIMEOUT="3.5",
        SMARTDEV_CACHE_DIR="/tmp/ignored-not-a-config-key",
    )
    assert config.paths.build == "elsewhere"
    assert config.default_network == "local"
    assert config.network("local").timeout == 3.5


def test_env_override_errors_name_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, SMARTDEV_COMPILER__RUNS="many")
    assert "environment variable SMARTDEV_COMPILER__RUNS" in str(info.value)
    assert "compiler.runs" in str(info.value)


def test_explicit_config_file(tmp_path: Path) -> None:
    other = tmp_path / "conf" / "my.toml"
    other.parent.mkdir()
    other.write_text('default_network = "local"\n')
    config = load_config(cwd=tmp_path, environ={}, config_file=Path("conf/my.toml"), known_sections=set())
    assert config.default_network == "local"
    assert config.root == other.parent
    with pytest.raises(ConfigError, match="file not found"):
        load_config(cwd=tmp_path, environ={}, config_file=Path("missing.toml"), known_sections=set())


def test_unknown_section_warns_with_suggestion(tmp_path: Path) -> None:
    (tmp_path / "smartdev.toml").write_text('[netwroks.x]\nurl = "http://a"\n\n[export]\nbatch = 5\n')
    config = load(tmp_path)
    assert len(config.warnings) == 1
    assert "netwroks" in config.warnings[0]
    assert "did you mean 'networks'" in config.warnings[0]


def test_plugin_section_validated_by_its_model(tmp_path: Path) -> None:
    class ExportSection(BaseModel):
        model_config = ConfigDict(extra="forbid")
        batch: int = 100

    (tmp_path / "smartdev.toml").write_text("[export]\nbatch = 5\n")
    assert load(tmp_path).section("export", ExportSection).batch == 5
    (tmp_path / "smartdev.toml").write_text('[export]\nbatch = "x"\n')
    with pytest.raises(ConfigError, match=r"export\.batch"):
        load(tmp_path).section("export", ExportSection)


def test_config_error_through_the_cli(run, project: Path) -> None:
    (project / "smartdev.toml").write_text('[paths]\nbiuld = "x"\n')
    result = run("networks")
    assert result.code == ExitStatus.CONFIG
    assert result.stderr.count("\n") == 1  # one line, no traceback
    assert "smartdev.toml: paths.biuld: unknown key" in result.stderr
