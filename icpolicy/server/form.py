"""The case form of the web page, generated from the case schema: one input per field,
fieldsets for objects, repeatable groups for lists, labels and help in nb/en."""

from __future__ import annotations

import html

_NUMBER_KINDS = ("money", "share", "number")


_LISTS = ("procurement.related_contracts", "supplier.sub_suppliers", "projects")


def _generic(path: str) -> str:
    """The form's path of a field in a list item ("projects.id") as the label table writes it ("projects[].id")."""
    for name in _LISTS:
        if path.startswith(name + "."):
            return name + "[]" + path[len(name):]
    return path


def label_of(path: str, lang: str) -> tuple[str, str | None]:
    """(label, help) of a field, from the one table of case-field labels (partial/labels.py)."""
    from ..partial.labels import field_text

    label_nb, label_en, help_nb, help_en = field_text(_generic(path))
    return (label_nb, help_nb or None) if lang == "nb" else (label_en, help_en or None)


def _resolve(schema: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        return {**schema["$defs"][ref.split("/")[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def render_form(schema: dict, lang: str) -> str:
    """The fields of a case as HTML (inside the page's <form>)."""
    return _object_fields(schema, schema, "", lang, set(schema.get("required", ())))


def _object_fields(schema: dict, node: dict, prefix: str, lang: str, required: set) -> str:
    out = []
    for name, sub in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        out.append(_field(schema, _resolve(schema, sub), path, lang, name in required))
    return "\n".join(out)


def _field(schema: dict, node: dict, path: str, lang: str, required: bool) -> str:
    text, help_text = label_of(path, lang)
    if node.get("type") == "object":
        inner = _object_fields(schema, node, path + ".", lang, set(node.get("required", ())))
        return f'<fieldset data-object="{path}"><legend>{html.escape(text)}</legend>{inner}</fieldset>'
    if node.get("type") == "array":
        item = _resolve(schema, node.get("items", {}))
        inner = _object_fields(schema, item, path + ".", lang, set(item.get("required", ())))
        words = _WORDS[lang]
        item_text = label_of(path + "[]", lang)[0]
        return (
            f'<fieldset class="list" data-list="{path}"><legend>{html.escape(text)}</legend>'
            f'<div class="items"></div>'
            f'<template><fieldset class="item"><legend>{html.escape(item_text)} <span class="n"></span></legend>{inner}'
            f'<button type="button" class="remove">{words["remove"]}</button></fieldset></template>'
            f'<button type="button" class="add">{words["add"]}</button></fieldset>'
        )
    return _input(node, path, text, help_text, required)


def _input(node: dict, path: str, text: str, help_text: str | None, required: bool) -> str:
    ident = "f-" + path.replace(".", "-")
    attrs = f'id="{ident}" name="{path}" data-path="{path}"'
    help_id = f"{ident}-help"
    error_id = f"{ident}-error"
    described = f' aria-describedby="{help_id} {error_id}"'
    kind = node.get("x-icpolicy-type")
    if "enum" in node:
        options = "".join(
            f'<option value="{html.escape(v)}"{" selected" if v == node.get("default") else ""}>{html.escape(v)}</option>'
            for v in node["enum"]
        )
        control = f"<select {attrs}{described}>{options}</select>"
    elif node.get("type") == "boolean":
        checked = " checked" if node.get("default") is True else ""
        control = f'<input type="checkbox" {attrs} data-kind="boolean"{checked}{described}>'
    elif kind == "date":
        control = f'<input type="date" {attrs} data-kind="date"{described}>'
    elif kind in _NUMBER_KINDS:
        control = f'<input type="text" inputmode="decimal" {attrs} data-kind="number" autocomplete="off"{described}>'
    else:
        control = f'<input type="text" {attrs} data-kind="text" autocomplete="off"{described}>'
    mark = ' <span class="req" aria-hidden="true">*</span>' if required else ""
    req = ' data-required="true"' if required else ""
    helper = f'<small id="{help_id}">{html.escape(help_text)}</small>' if help_text else f'<small id="{help_id}"></small>'
    return (
        f'<div class="field"{req}><label for="{ident}">{html.escape(text)}{mark}</label>{control}'
        f'{helper}<span class="error" id="{error_id}" role="alert"></span></div>'
    )


_WORDS = {
    "nb": {"add": "Legg til", "remove": "Fjern"},
    "en": {"add": "Add", "remove": "Remove"},
}
