"""Prints each failed test of the given TRX files with the first lines of its message and stack trace.

scripts/test.sh calls it after the run so that a log cut to its tail still names what failed and why."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
MAX_LINES = 12

for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
            continue
        print(f"FAILED {result.get('testName')} ({result.get('duration')})")
        for tag in ("Message", "StackTrace"):
            node = result.find(f"t:Output/t:ErrorInfo/t:{tag}", NS)
            if node is not None and node.text:
                lines = node.text.strip().splitlines()
                for line in lines[:MAX_LINES]:
                    print(f"    {line}")
                if len(lines) > MAX_LINES:
                    print(f"    ... {len(lines) - MAX_LINES} more lines")
