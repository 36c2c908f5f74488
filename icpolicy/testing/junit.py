"""JUnit XML for CI systems: one testcase per policy test."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def write_junit(outcomes, path: str, suite: str = "icpolicy") -> None:
    failures = sum(1 for o in outcomes if o.mismatches)
    errors = sum(1 for o in outcomes if o.error)
    root = ET.Element("testsuite", name=suite, tests=str(len(outcomes)), failures=str(failures), errors=str(errors))
    for o in outcomes:
        case = ET.SubElement(root, "testcase", classname=o.test.file, name=o.test.name, file=o.test.file, line=str(o.test.line))
        if o.error:
            ET.SubElement(case, "error", message=o.error).text = f"{o.test.where}: {o.error}"
        elif o.mismatches:
            text = "\n".join(m.describe() for m in o.mismatches)
            ET.SubElement(case, "failure", message=o.mismatches[0].describe()).text = f"{o.test.where}\n{text}"
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
