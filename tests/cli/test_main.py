"""The command group: version, help, `python -m icpolicy`, and the one exit-code boundary."""

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from icpolicy import __version__
from icpolicy.cli import main as cli_main
from icpolicy.cli.common import EXIT_FINDINGS, EXIT_USAGE, CliFailure, failing_with
from icpolicy.cli.main import IcpolicyGroup, cli
from icpolicy.diagnostics import Diagnostic, IcpolicyError, Span

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ["eval", "validate", "test", "mutate", "boundaries", "show", "diff", "replay", "serve", "lsp", "report", "ask"]


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", [[]] + [[c] for c in COMMANDS])
def test_help_on_every_command(command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_every_command_is_listed_in_the_group_help():
    listed = run("--help").output
    assert all(f"  {c}" in listed for c in COMMANDS)
    assert cli.list_commands(click.Context(cli)) == sorted(COMMANDS)


def test_unknown_command_and_option_are_usage_errors():
    assert run("evaluate").exit_code == EXIT_USAGE
    assert run("eval", "--no-such-option", "x.yaml").exit_code == EXIT_USAGE


def test_python_dash_m_icpolicy_runs_the_same_command_line(tmp_path):
    version = subprocess.run([sys.executable, "-m", "icpolicy", "--version"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and __version__ in version.stdout
    case = ROOT / "examples" / "cases" / "01-us-frigate-direct.yaml"
    decided = subprocess.run([sys.executable, "-m", "icpolicy", "eval", "--format", "jsonl", str(case)],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert decided.returncode == 0 and '"case":"CASE-2026-001"' in decided.stdout
    missing = subprocess.run([sys.executable, "-m", "icpolicy", "eval", str(tmp_path / "none.yaml")],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert missing.returncode == EXIT_USAGE and "Traceback" not in missing.stderr


def _group_with(callback):
    group = IcpolicyGroup()
    group.add_command(click.Command("go", callback=callback))
    return group


DIAG = Diagnostic("E-CASE", "expected an amount in NOK", Span("c.yaml", 4, 14), field="procurement.value_nok")


@pytest.mark.parametrize("status", [0, 1, 2])
def test_a_returned_status_is_the_exit_code(status):
    assert CliRunner().invoke(_group_with(lambda: status), ["go"]).exit_code == status


def test_a_command_returning_nothing_exits_0():
    assert CliRunner().invoke(_group_with(lambda: None), ["go"]).exit_code == 0


def test_a_failure_shows_its_diagnostics_and_message_on_stderr_with_its_status():
    def go():
        raise CliFailure(EXIT_USAGE, "then this line", [DIAG])

    result = CliRunner().invoke(_group_with(go), ["go"])
    assert result.exit_code == EXIT_USAGE
    assert result.stdout == ""
    assert result.stderr.startswith("error[E-CASE]: c.yaml:4:14: procurement.value_nok: expected an amount in NOK\n")
    assert result.stderr.endswith("then this line\n")


def test_failing_with_gives_the_status_asked_for():
    def go():
        with failing_with(EXIT_USAGE):
            raise IcpolicyError(DIAG)

    result = CliRunner().invoke(_group_with(go), ["go"])
    assert result.exit_code == EXIT_USAGE and "expected an amount in NOK" in result.stderr


def test_an_uncaught_icpolicy_error_is_reported_as_findings_never_a_traceback():
    def go():
        raise IcpolicyError(DIAG)

    result = CliRunner().invoke(_group_with(go), ["go"])
    assert result.exit_code == EXIT_FINDINGS
    assert "error[E-CASE]: c.yaml:4:14" in result.stderr and "Traceback" not in result.stderr


def test_no_command_module_calls_sys_exit():
    sources = (ROOT / "icpolicy" / "cli").glob("*_cmd.py")
    assert not [p.name for p in sources if "sys.exit(" in p.read_text(encoding="utf-8")]


def test_ctrl_c_in_a_command_exits_130():
    def go():
        raise KeyboardInterrupt

    result = CliRunner().invoke(_group_with(go), ["go"])
    assert result.exit_code == 130 and result.stderr == "interrupted\n"


@pytest.mark.parametrize(("raised", "status", "said"), [(KeyboardInterrupt, 130, "interrupted"), (BrokenPipeError, 0, "")])
def test_interrupt_and_closed_pipe(monkeypatch, capsys, raised, status, said):
    def stop(**kwargs):
        raise raised

    monkeypatch.setattr(cli_main, "cli", stop)
    with pytest.raises(SystemExit) as exit_info:
        cli_main.main()
    assert exit_info.value.code == status
    assert said in capsys.readouterr().err


# Cold start (issue 14): commands are imported when they run; the listing is the same.

@pytest.mark.parametrize("name", COMMANDS)
def test_each_listed_summary_is_the_commands_own_short_help(name):
    command = cli.get_command(click.Context(cli), name)
    stand_in = click.Command(name, help=cli_main._COMMANDS[name][2])
    for limit in (20, 45, 60, 74, 200):
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit)


def test_help_and_version_import_no_command_and_no_heavy_library():
    probe = (
        "import sys\n"
        "from icpolicy.cli.main import cli\n"
        "for args in (['--help'], ['--version']):\n"
        "    try:\n"
        "        cli.main(args, prog_name='icpolicy')\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split()[-1000:])
    assert "Commands:" in done.stdout and all(f"  {c}" in done.stdout for c in COMMANDS)
    commands = {f"icpolicy.cli.{module}" for module, _, _ in cli_main._COMMANDS.values()}
    heavy = {"lark", "jsonschema", "yaml", "babel", "starlette", "uvicorn", "pygls", "icpolicy.engine.evaluate"}
    assert loaded & (commands | heavy) == set()


def test_eval_imports_no_server_editor_or_schema_library():
    case = ROOT / "examples" / "cases" / "01-us-frigate-direct.yaml"
    probe = (
        "import sys\n"
        "from icpolicy.cli.main import cli\n"
        "try:\n"
        f"    cli.main(['eval', '--format', 'jsonl', {str(case)!r}], prog_name='icpolicy')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    loaded = set(done.stderr.split())
    assert '"case":"CASE-2026-001"' in done.stdout
    assert loaded & {"starlette", "uvicorn", "pygls", "icpolicy.server", "icpolicy.lsp", "icpolicy.cli.diff_cmd"} == set()


def test_completion_lists_every_command_with_its_summary():
    items = cli.shell_complete(click.Context(cli), "")
    helps = {item.value: item.help for item in items}
    assert sorted(COMMANDS) == list(helps)
    assert helps["diff"] == "Compare two versions of a policy by meaning."
    assert [item.value for item in cli.shell_complete(click.Context(cli), "--v")] == ["--version"]


def test_every_command_that_loads_a_policy_has_no_cache():
    for name in COMMANDS:
        options = [opt for p in cli.get_command(click.Context(cli), name).params for opt in p.opts]
        assert ("--no-cache" in options) == (name != "lsp"), name
