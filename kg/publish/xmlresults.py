"""SPARQL Query Results XML Format (https://www.w3.org/TR/rdf-sparql-XMLres/), written a
row at a time with the standard library's XML writer (:class:`xml.sax.saxutils.XMLGenerator`,
which escapes text and attributes).

XML 1.0 cannot hold most control characters, even escaped: each is written as U+FFFD,
as ``evalkg export`` writes RDF/XML.

>>> import io, pyoxigraph as ox
>>> from kg.sparql.results import ResultStream
>>> out = io.BytesIO()
>>> write_xml(ResultStream("select", ["x"], [(ox.Literal("a<b", language="en"),)]), out)
>>> print(out.getvalue().decode()) # doctest: +NORMALIZE_WHITESPACE
<?xml version="1.0" encoding="utf-8"?>
<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="x"></variable></head>
<results>
<result><binding name="x"><literal xml:lang="en">a&lt;b</literal></binding></result>
</results></sparql>
"""

from __future__ import annotations

import re
from typing import IO, Any
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from kg.sparql.results import ResultStream
from kg.vocab import XSD

NAMESPACE = "http://www.w3.org/2005/sparql-results#"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def write_xml(answer: ResultStream, out: IO[bytes]) -> None:
    """Write the SELECT or ASK ``answer`` to the binary file ``out``."""
    xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=False)
    xml.startDocument()
    _start(xml, "sparql", {"xmlns": NAMESPACE})
    _start(xml, "head", {})
    for name in answer.variables:
        _start(xml, "variable", {"name": name})
        xml.endElement("variable")
    xml.endElement("head")
    if answer.kind == "ask":
        _start(xml, "boolean", {})
        xml.characters("true" if answer.boolean else "false")
        xml.endElement("boolean")
    else:
        xml.ignorableWhitespace("\n")
        _start(xml, "results", {})
        xml.ignorableWhitespace("\n")
        for row in answer.rows:
            _start(xml, "result", {})
            for name, term in zip(answer.variables, row, strict=True):
                if term is not None:
                    _start(xml, "binding", {"name": name})
                    _term(xml, term)
                    xml.endElement("binding")
            xml.endElement("result")
            xml.ignorableWhitespace("\n")
        xml.endElement("results")
    xml.endElement("sparql")
    xml.endDocument()


def _start(xml: XMLGenerator, name: str, attrs: dict[str, str]) -> None:
    xml.startElement(name, AttributesImpl(attrs))


def _term(xml: XMLGenerator, term: Any) -> None:
    attrs: dict[str, str]
    kind = type(term).__name__
    if kind == "NamedNode":
        element, attrs = "uri", {}
    elif kind == "BlankNode":
        element, attrs = "bnode", {}
    elif term.language:
        element, attrs = "literal", {"xml:lang": term.language}
    elif term.datatype.value != XSD + "string":
        element, attrs = "literal", {"datatype": term.datatype.value}
    else:
        element, attrs = "literal", {}
    _start(xml, element, attrs)
    xml.characters(_text(term.value))
    xml.endElement(element)
