"""JUnit XML for CI systems: one testcase per policy test, and one (an error) per
test file that could not be read."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def write_junit(outcomes, path: str, suite: str = "icpolicy", unreadable: dict | None = None) -> None:
    """`unreadable`: test file -> the problems that kept it from being read."""
    unreadable = unreadable or {}
    failures = sum(1 for o in outcomes if o.mismatches)
    errors = sum(1 for o in outcomes if o.error) + len(unreadable)
    total = len(outcomes) + len(unreadable)
    root = ET.Element("testsuite", name=suite, tests=str(total), failures=str(failures), errors=str(errors))
    for file, problems in unreadable.items():
        case = ET.SubElement(root, "testcase", classname=file, name="the test file could not be read", file=file,
                             line=str(problems[0].span.line if problems and problems[0].span else 1))
        ET.SubElement(case, "error", message=problems[0].headline() if problems else "unreadable").text = "\n".join(
            d.headline() for d in problems)
    for o in outcomes:
        case = ET.SubElement(root, "testcase", classname=o.test.file, name=o.test.name, file=o.test.file, line=str(o.test.line))
        if o.error:
            ET.SubElement(case, "error", message=o.error).text = f"{o.test.where}: {o.error}"
        elif o.mismatches:
            text = "\n".join(m.describe() for m in o.mismatches)
            ET.SubElement(case, "failure", message=o.mismatches[0].describe()).text = f"{o.test.where}\n{text}"
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
