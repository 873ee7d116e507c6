"""Prints the tests of the given TRX files that were skipped and whose name starts with the prefix (first argument).

scripts/test.sh calls it for the contract tests: where the vendors' contracts are present, none of them may skip."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
prefix = sys.argv[1]
for path in sys.argv[2:]:
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") == "NotExecuted" and result.get("testName", "").startswith(prefix):
            print(result.get("testName"))
