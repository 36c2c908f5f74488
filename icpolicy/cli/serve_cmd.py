"""`icpolicy serve`: the decision service and the web page, on uvicorn."""

from __future__ import annotations

import click

from .common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliFailure, failing_with, policy_option


@click.command("serve")
@policy_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default: nothing outside this machine reaches it).")
@click.option("--port", default=8181, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--records", "records_dir", default=None, metavar="DIR",
              help="Write every decision to DIR as a hash-chained record (`icpolicy replay`, `--verify-chain`).")
@click.option("--mask", multiple=True, metavar="FIELD",
              help="Mask this case field (dotted path, e.g. supplier.name) in the records; never in answers. Repeatable.")
@click.option("--max-body", default=1024 * 1024, show_default=True, type=click.IntRange(1), metavar="BYTES",
              help="Largest body of one case.")
@click.option("--max-batch", default=1000, show_default=True, type=click.IntRange(1), metavar="N",
              help="Most cases in one batch request.")
@click.option("--max-batch-body", default=16 * 1024 * 1024, show_default=True, type=click.IntRange(1),
              metavar="BYTES", help="Largest body of a batch.")
def serve_command(policy_path, host, port, records_dir, mask, max_body, max_batch, max_batch_body):
    """Serve decisions over HTTP (JSON API, OpenAPI at /openapi.json) and the case
    officer's page at /. The policy is loaded once; POST /v1/reload or SIGHUP loads
    it again (a policy that fails to load leaves the old one serving)."""
    try:
        import uvicorn

        from ..server.app import create_app
        from ..server.holder import PolicyHolder
        from ..server.limits import Limits
    except ImportError as exc:  # the optional extra is not installed
        raise CliFailure(EXIT_USAGE, f"icpolicy serve needs its extra: pip install 'icpolicy[serve]' "
                                     f"({exc.name} is missing)") from None
    with failing_with(EXIT_FINDINGS):  # a policy that fails to load is reported as by every command
        holder = PolicyHolder(policy_path)
    try:
        app = create_app(limits=Limits(max_body, max_batch_body, max_batch), records_dir=records_dir,
                         mask=tuple(mask), holder=holder)
    except (OSError, ValueError) as exc:
        raise CliFailure(EXIT_FINDINGS, f"--records {records_dir}: cannot write the decision log there ({exc})") from None
    config = uvicorn.Config(app, host=host, port=port, log_level="info", access_log=False)
    server = uvicorn.Server(config)
    _run(server, holder)
    return EXIT_OK


def _run(server, holder) -> None:
    import asyncio
    import signal

    async def main() -> None:
        loop = asyncio.get_running_loop()

        def reload() -> None:
            error = holder.reload()
            if error is None:
                click.echo(f"reloaded policy {holder.policy.id} {holder.policy.current.model.version}", err=True)
            else:
                click.echo(f"reload failed; the old policy keeps serving:\n{error}", err=True)

        if hasattr(signal, "SIGHUP"):
            loop.add_signal_handler(signal.SIGHUP, reload)
        await server.serve()

    asyncio.run(main())
