"""The case officer's web page: the form, decisions as you type, paste/upload, downloads.

Server-rendered: the page's script sends the case as JSON (numbers as the exact text
typed) and inserts the HTML the server renders, so no number is ever rounded in the
browser. The page loads nothing from elsewhere: style and script are inline.
"""

from __future__ import annotations

import html
import json
from decimal import Decimal
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..diagnostics import IcpolicyError
from .bodies import BODY, BodyError, decode, read_body, read_document
from .decide import Options
from .form import render_form
from .fragment import render_errors, render_result

_STATIC = Path(__file__).parent / "static"

_TEXTS = {
    "nb": {
        "title": "Industrisamarbeid: vurdering av en sak",
        "intro": "Fyll inn saken. Vurderingen oppdateres mens du skriver.",
        "case": "Saken", "result": "Vurdering", "paste": "Lim inn eller last opp en sak (YAML eller JSON)",
        "load": "Hent inn i skjemaet", "upload": "Velg fil", "download_case": "Last ned saken (YAML)",
        "download_report": "Last ned vedtaksnotat (HTML)", "lang_label": "Språk", "empty": "Fyll inn saken for å se vurderingen.",
        "required": "Felt merket * må fylles ut.",
    },
    "en": {
        "title": "Industrial cooperation: assessing a case",
        "intro": "Fill in the case. The assessment updates as you type.",
        "case": "The case", "result": "Assessment", "paste": "Paste or upload a case (YAML or JSON)",
        "load": "Load into the form", "upload": "Choose file", "download_case": "Download the case (YAML)",
        "download_report": "Download the decision report (HTML)", "lang_label": "Language",
        "empty": "Fill in the case to see the assessment.", "required": "Fields marked * are required.",
    },
}


def choose_lang(request: Request) -> str:
    lang = request.query_params.get("lang")
    if lang in _TEXTS:
        return lang
    accepted = request.headers.get("accept-language", "")
    return "nb" if accepted[:2] in ("nb", "no", "nn") else "en"


class PageRoutes:
    def __init__(self, service):
        self.service = service
        self._pages: dict[str, str] = {}  # the page in each language, rendered once

    def _page(self, lang: str) -> str:
        if lang not in self._pages:
            from ..resources import schema_path

            schema = json.loads(schema_path("case.schema.json").read_text(encoding="utf-8"))
            page = (_STATIC / "page.html").read_text(encoding="utf-8")
            values = {
                "lang": lang, "form": render_form(schema, lang),
                "style": (_STATIC / "page.css").read_text(encoding="utf-8"),
                "script": (_STATIC / "page.js").read_text(encoding="utf-8"),
                "other_lang": "en" if lang == "nb" else "nb",
                "other_lang_name": "English" if lang == "nb" else "Norsk (bokmål)",
                **{k: html.escape(v) for k, v in _TEXTS[lang].items()},
            }
            for key, value in values.items():
                page = page.replace("{{" + key + "}}", value)
            self._pages[lang] = page
        return self._pages[lang]

    async def index(self, request: Request) -> Response:
        return HTMLResponse(self._page(choose_lang(request)))

    async def decide(self, request: Request) -> Response:
        """The result as an HTML fragment, and the errors by field, for the page."""
        lang = choose_lang(request)
        raw = await read_body(request, self.service.limits.max_body_bytes)
        try:
            doc = read_document(raw, request.headers.get("content-type"))
        except BodyError as exc:
            return _page_answer(render_errors(exc.diagnostics, lang), exc.diagnostics)
        out, ok = self.service._decided(self.service.holder.policy, doc, Options(lang=lang), BODY)
        if not ok:
            from ..diagnostics import Diagnostic

            diagnostics = [Diagnostic(e["code"], e["message"], field=e.get("field")) for e in out["errors"]]
            return _page_answer(render_errors(diagnostics, lang), diagnostics)
        return _page_answer(render_result(out, self.service.holder.policy, lang), [])

    async def load(self, request: Request) -> Response:
        """A pasted or uploaded case (YAML or JSON) as JSON for the form, numbers as text."""
        raw = await read_body(request, self.service.limits.max_body_bytes)
        kind = "application/json" if raw.lstrip()[:1] == b"{" else "application/yaml"
        try:
            doc = read_document(raw, kind)
        except BodyError as exc:
            return _page_answer("", exc.diagnostics, status=400)
        return Response(json.dumps({"case": _as_text(doc.data)}, ensure_ascii=False),
                        media_type="application/json")

    async def case_yaml(self, request: Request) -> Response:
        from ..yamlsource import parse_json

        try:
            doc = parse_json(decode(await read_body(request, self.service.limits.max_body_bytes)), BODY)
        except IcpolicyError as exc:
            return _page_answer("", exc.diagnostics, status=400)
        text = _yaml_text(doc.data)
        name = _file_stem(doc.data) + ".yaml"
        return Response(text, media_type="application/yaml",
                        headers={"content-disposition": f'attachment; filename="{name}"'})

    async def report(self, request: Request) -> Response:
        """The decision report (icpolicy report's HTML document) of the case in the form."""
        from ..report.html import render_html
        from .decide import decide

        lang = choose_lang(request)
        raw = await read_body(request, self.service.limits.max_body_bytes)
        doc = read_document(raw, "application/json")
        try:
            result = decide(self.service.holder.policy, doc, Options(lang=lang))
        except IcpolicyError as exc:
            return _page_answer(render_errors(exc.diagnostics, lang), exc.diagnostics, status=422)
        page = render_html(result, lang, doc.data)
        return HTMLResponse(page, headers={"content-disposition": f'attachment; filename="{_file_stem(doc.data)}.html"'})


def _page_answer(fragment: str, diagnostics, status: int = 200) -> Response:
    errors = [{"field": d.field, "message": d.message, "code": d.code} for d in diagnostics]
    return Response(json.dumps({"html": fragment, "errors": errors}, ensure_ascii=False), status_code=status,
                    media_type="application/json")


def _as_text(value):
    """Case data for the form: exact numbers become their text, nothing is rounded."""
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    return value


def _yaml_text(data) -> str:
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    _Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f")))
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def _file_stem(data) -> str:
    raw = data.get("id") if isinstance(data, dict) else None
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(raw or "case"))[:80]
    return stem or "case"
