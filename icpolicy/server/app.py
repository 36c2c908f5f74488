"""The Starlette application: routes, body limits, and errors as Diagnostics.

Every answer is JSON written by icpolicy's own exact writer (Decimals stay exact);
no request changes the server's state except the decision log and `/v1/reload`.
"""

from __future__ import annotations

import uuid

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..diagnostics import Diagnostic, IcpolicyError
from ..engine.decision_log import DecisionLog
from .bodies import BODY, BodyError, read_batch, read_body, read_document
from .decide import Options, check_options, decide, error_object
from .holder import PolicyHolder
from .limits import Limits
from .openapi import openapi_document


def json_response(value: object, status: int = 200) -> Response:
    from ..values import dumps

    return Response(dumps(value) + "\n", status_code=status, media_type="application/json")


def errors_response(status: int, diagnostics: list[Diagnostic]) -> Response:
    return json_response({"errors": [d.to_dict() for d in diagnostics]}, status)


class Service:
    """The routes' shared state: the policy holder, limits and the decision log."""

    def __init__(self, holder: PolicyHolder, limits: Limits, log: DecisionLog | None):
        self.holder = holder
        self.limits = limits
        self.log = log

    def _options(self, request: Request) -> Options:
        try:
            return check_options(self.holder.policy, request.query_params)
        except IcpolicyError as exc:
            raise BodyError(400, exc.diagnostics) from None

    def _decided(self, policy, doc, options: Options, where: str) -> tuple[dict, bool]:
        """(the result object, True) or (the error object, False) for one document."""
        try:
            result = decide(policy, doc, options)
        except IcpolicyError as exc:
            return error_object(doc, where, exc), False
        if options.partial:
            # Not a final decision: answered, never written to the decision log.
            out = result.to_dict(options.explain)
            out["decision_id"] = str(uuid.uuid4())
            return out, True
        out = result.to_dict(options.explain, lang=options.lang or "en")
        out["decision_id"] = self._record(result, doc, options, where)
        return out, True

    def _record(self, result, doc, options: Options, where: str) -> str:
        if self.log is None:
            return str(uuid.uuid4())
        from ..engine.records import make_record

        as_of = options.as_of.isoformat() if options.as_of else None
        record = make_record(result, doc.data, where, as_of, options.version, options.decisions)
        return self.log.append(record)

    async def decide_one(self, request: Request) -> Response:
        options = self._options(request)
        raw = await read_body(request, self.limits.max_body_bytes)
        doc = read_document(raw, request.headers.get("content-type"))
        policy = self.holder.policy
        out, ok = await run_in_threadpool(self._decided, policy, doc, options, BODY)
        return json_response(out) if ok else json_response({"errors": out["errors"]}, 422)

    async def decide_batch(self, request: Request) -> Response:
        options = self._options(request)
        raw = await read_body(request, self.limits.max_batch_bytes)
        items = read_batch(raw, request.headers.get("content-type"), self.limits.max_batch_items)
        policy = self.holder.policy

        def run() -> list[dict]:
            out = []
            for item in items:
                where = f"{BODY}[{item.index}]"
                if item.error is not None:
                    out.append(error_object(None, where, item.error))
                    continue
                out.append(self._decided(policy, item.doc, options, where)[0])
            return out

        return json_response(await run_in_threadpool(run))

    async def policy_summary(self, request: Request) -> Response:
        return json_response(self.holder.summary())

    async def policy_version(self, request: Request) -> Response:
        from ..policy.show import as_data

        try:
            chosen = self.holder.policy.version(request.path_params["version"])
        except IcpolicyError as exc:
            return errors_response(404, exc.diagnostics)
        return json_response(as_data(chosen.model, chosen.doc))

    async def case_schema(self, request: Request) -> Response:
        return json_response(self.holder.policy.case_schema.document)

    async def reload(self, request: Request) -> Response:
        error = await run_in_threadpool(self.holder.reload)
        if error is not None:
            return json_response({"reloaded": False, "errors": [d.to_dict() for d in error.diagnostics]}, 422)
        return json_response({"reloaded": True, "policy": self.holder.summary()})

    async def healthz(self, request: Request) -> Response:
        return json_response({"status": "ok"})

    async def readyz(self, request: Request) -> Response:
        ready = self.holder.policy is not None
        return json_response({"status": "ready" if ready else "loading"}, 200 if ready else 503)

    async def openapi(self, request: Request) -> Response:
        return json_response(openapi_document())


async def _body_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BodyError)
    return errors_response(exc.status, exc.diagnostics)


async def _not_found(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    message = "no such endpoint" if status == 404 else "this endpoint does not take that method"
    return errors_response(status, [Diagnostic("E-HTTP", f"{request.method} {request.url.path}: {message}",
                                               help="see /openapi.json")])


async def _server_error(request: Request, exc: Exception) -> Response:
    # Never a traceback to the client; the server's own log gets it from uvicorn.
    return errors_response(500, [Diagnostic("E-INTERNAL", "the server failed on this request; it is logged")])


def create_app(policy_path=None, limits: Limits | None = None, records_dir=None, mask: tuple[str, ...] = (),
               holder: PolicyHolder | None = None) -> Starlette:
    """The service for one policy (loaded now: a policy that fails to load raises IcpolicyError)."""
    from .page import PageRoutes

    holder = holder or PolicyHolder(policy_path)
    log = DecisionLog(records_dir, mask) if records_dir else None
    service = Service(holder, limits or Limits(), log)
    page = PageRoutes(service)
    routes = [
        Route("/", page.index, methods=["GET"]),
        Route("/ui/decide", page.decide, methods=["POST"]),
        Route("/ui/load", page.load, methods=["POST"]),
        Route("/ui/case.yaml", page.case_yaml, methods=["POST"]),
        Route("/ui/report", page.report, methods=["POST"]),
        Route("/v1/decide", service.decide_one, methods=["POST"]),
        Route("/v1/decide/batch", service.decide_batch, methods=["POST"]),
        Route("/v1/policy", service.policy_summary, methods=["GET"]),
        Route("/v1/policy/{version}", service.policy_version, methods=["GET"]),
        Route("/v1/schema/case", service.case_schema, methods=["GET"]),
        Route("/v1/reload", service.reload, methods=["POST"]),
        Route("/healthz", service.healthz, methods=["GET"]),
        Route("/readyz", service.readyz, methods=["GET"]),
        Route("/openapi.json", service.openapi, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={
        BodyError: _body_error, 404: _not_found, 405: _not_found, 500: _server_error, Exception: _server_error})
    app.state.service = service
    return app


__all__ = ["create_app"]
