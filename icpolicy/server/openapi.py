"""The OpenAPI 3.1 document of the service (its schemas are JSON Schema 2020-12, so
the tests validate real responses against them with jsonschema)."""

from __future__ import annotations

from .. import __version__

_REF = "#/components/schemas/"


def _ref(name: str) -> dict:
    return {"$ref": _REF + name}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS = {
    "400": _json(_ref("Errors"), "The body or a query parameter cannot be read (malformed JSON/YAML, bad option)."),
    "413": _json(_ref("Errors"), "The body or the batch is larger than the server's limits."),
    "415": _json(_ref("Errors"), "The body's Content-Type is not one the endpoint reads."),
    "422": _json(_ref("Errors"), "The case is well formed but not a valid case, or cannot be decided."),
}

_DECIDE_PARAMETERS = [
    {"name": "decision", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "style": "form", "explode": True, "description": "Decide only these decisions (repeatable)."},
    {"name": "as_of", "in": "query", "schema": {"type": "string", "format": "date"},
     "description": "Decide as on this date (YYYY-MM-DD) instead of the case's own date."},
    {"name": "version", "in": "query", "schema": {"type": "string"},
     "description": "Decide under this policy version, whatever the dates."},
    {"name": "explain", "in": "query", "schema": {"type": "boolean", "default": True},
     "description": "Include explanations and sources."},
    {"name": "lang", "in": "query", "schema": {"enum": ["nb", "en"]},
     "description": "The language of explanations."},
    {"name": "partial", "in": "query", "schema": {"type": "boolean", "default": False},
     "description": "Facts may be unknown (written `unknown` or left out): each decision is decided or open, "
                    "with the questions to ask (docs/missing-facts.md). Not written to the decision log."},
]

_CASE_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"$ref": "/v1/schema/case"}},
        "application/yaml": {"schema": {"type": "string"}},
    },
}

_SCHEMAS: dict = {
    "Diagnostic": {
        "type": "object",
        "required": ["code", "severity", "message"],
        "properties": {
            "code": {"type": "string", "examples": ["E-CASE"]},
            "severity": {"enum": ["error", "warning", "note"]},
            "message": {"type": "string"},
            "field": {"type": "string", "description": "Dotted path of the case field concerned."},
            "file": {"type": "string", "description": "`<request>` for the request body."},
            "line": {"type": "integer", "minimum": 1},
            "col": {"type": "integer", "minimum": 1},
            "help": {"type": "string"},
        },
    },
    "Errors": {
        "type": "object",
        "required": ["errors"],
        "properties": {"errors": {"type": "array", "items": _ref("Diagnostic"), "minItems": 1}},
    },
    "Explanation": {
        "type": "object",
        "required": ["rule", "source", "text"],
        "properties": {"rule": {"type": ["string", "null"]}, "source": {"type": ["string", "null"]},
                       "text": {"type": "string"}},
    },
    "Decision": {
        "type": "object",
        "required": ["value", "rules"],
        "properties": {
            "value": {"description": "A boolean, a string, or an exact number (never rounded)."},
            "rules": {"type": "array", "items": {"type": "string"}},
            "explanation": {"type": "array", "items": _ref("Explanation")},
        },
    },
    "Result": {
        "type": "object",
        "required": ["case", "policy", "decisions", "projects"],
        "properties": {
            "case": {"type": "string"},
            "decision_id": {"type": "string", "description": "The id of this decision (its record with --records)."},
            "policy": {"type": "object", "required": ["id", "version", "sha256"],
                       "properties": {"id": {"type": "string"}, "version": {"type": "string"},
                                      "sha256": {"type": "string"}}},
            "decisions": {"type": "object", "additionalProperties": _ref("Decision")},
            "projects": {"type": "array", "items": {
                "type": "object", "required": ["id", "decisions"],
                "properties": {"id": {"type": "string"},
                               "decisions": {"type": "object", "additionalProperties": _ref("Decision")}}}},
        },
    },
    "PartialResult": {
        "type": "object",
        "required": ["case", "policy", "partial", "decisions", "projects", "questions"],
        "properties": {
            "partial": {"const": True},
            "decision_id": {"type": "string"},
            "decisions": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["state"],
                "properties": {"state": {"enum": ["decided", "open"]}, "value": {}, "possible": {"type": "array"},
                               "depends_on": {"type": "array", "items": {"type": "string"}}}}},
            "questions": {"type": "array", "items": {"type": "object"}},
        },
    },
    "ItemError": {
        "type": "object",
        "required": ["case", "input", "errors"],
        "properties": {"case": {"type": ["string", "null"]}, "input": {"type": "string"},
                       "decision_id": {"type": "string"},
                       "errors": {"type": "array", "items": _ref("Diagnostic"), "minItems": 1}},
    },
    "Batch": {"type": "array", "items": {"anyOf": [_ref("Result"), _ref("PartialResult"), _ref("ItemError")]}},
    "PolicySummary": {
        "type": "object",
        "required": ["id", "current", "versions"],
        "properties": {
            "id": {"type": "string"}, "current": {"type": "string"}, "loaded_at": {"type": "string"},
            "versions": {"type": "array", "items": {
                "type": "object", "required": ["version", "effective_from", "effective_to", "sha256"],
                "properties": {"version": {"type": "string"},
                               "effective_from": {"type": ["string", "null"], "format": "date"},
                               "effective_to": {"type": ["string", "null"], "format": "date"},
                               "sha256": {"type": "string"}}}},
        },
    },
    "Status": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}},
    "Reload": {"type": "object", "required": ["reloaded"],
               "properties": {"reloaded": {"type": "boolean"}, "policy": _ref("PolicySummary"),
                              "errors": {"type": "array", "items": _ref("Diagnostic")}}},
}


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "icpolicy decision service", "version": __version__,
                 "description": "Decide industrial cooperation (BIF) cases. Numbers are exact decimals in and out."},
        "paths": {
            "/v1/decide": {"post": {
                "summary": "Decide one case", "parameters": _DECIDE_PARAMETERS, "requestBody": _CASE_BODY,
                "responses": {"200": _json({"oneOf": [_ref("Result"), _ref("PartialResult")]},
                                           "The decisions (with partial=true: decided or open)."), **_ERRORS}}},
            "/v1/decide/batch": {"post": {
                "summary": "Decide many cases: a JSON array, or JSON Lines (application/x-ndjson)",
                "parameters": _DECIDE_PARAMETERS,
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"type": "array"}},
                    "application/x-ndjson": {"schema": {"type": "string"}}}},
                "responses": {"200": _json(_ref("Batch"), "One result or error object per item, in order."),
                              **_ERRORS}}},
            "/v1/policy": {"get": {"summary": "The policy's versions and their periods",
                                   "responses": {"200": _json(_ref("PolicySummary"), "The loaded policy.")}}},
            "/v1/policy/{version}": {"get": {
                "summary": "One version, whole (as `icpolicy show --format json`)",
                "parameters": [{"name": "version", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json({"type": "object"}, "The version."),
                              "404": _json(_ref("Errors"), "No such version.")}}},
            "/v1/schema/case": {"get": {"summary": "The JSON Schema of case documents",
                                        "responses": {"200": _json({"type": "object"}, "The schema.")}}},
            "/v1/reload": {"post": {"summary": "Load the policy again (SIGHUP does the same)",
                                    "responses": {"200": _json(_ref("Reload"), "Reloaded."),
                                                  "422": _json(_ref("Reload"), "The new policy fails to load; "
                                                                               "the old one keeps serving.")}}},
            "/healthz": {"get": {"summary": "The process answers",
                                 "responses": {"200": _json(_ref("Status"), "Alive.")}}},
            "/readyz": {"get": {"summary": "A policy is loaded and decides",
                                "responses": {"200": _json(_ref("Status"), "Ready."),
                                              "503": _json(_ref("Status"), "Not ready.")}}},
        },
        "components": {"schemas": _SCHEMAS},
    }
