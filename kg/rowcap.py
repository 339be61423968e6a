"""Cap the rows of a serialised SELECT result while pyoxigraph writes it.

pyoxigraph serialises results itself (fast, no Python objects per row); this sink counts rows in
the byte stream, and at the first row past the cap stops the writer and closes the document, so a
truncated answer is still a valid one in its format.

>>> from pyoxigraph import QueryResultsFormat, Store
>>> result = Store().query("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }")
>>> body, rows, truncated = serialize_capped(result, QueryResultsFormat.TSV, max_rows=2)
>>> body.decode(), rows, truncated
('?n\\n1\\n2\\n', 2, True)
"""

from __future__ import annotations

import re

from pyoxigraph import QueryResultsFormat, QuerySolutions


class _CapReached(Exception):
    pass


# Where each row starts, per format, and how a cut document is closed. JSON: `},{"` occurs only
# between two bindings (quotes inside strings are escaped); XML: `<result>` only starts a row.
_JSON_FIRST = re.compile(rb'"bindings":\[\{')
_JSON_NEXT = re.compile(rb'\},\{"')
_XML_ROW = re.compile(rb"<result>")
_KIND = {"srj": "JSON", "srx": "XML", "csv": "CSV", "tsv": "TSV"}
_CLOSE = {"JSON": b"]}}", "XML": b"</results></sparql>", "CSV": b"", "TSV": b""}


class RowSink:
    """A write-only file that keeps at most ``max_rows`` rows of one results format."""

    def __init__(self, results_format: QueryResultsFormat, max_rows: int) -> None:
        self.format = _KIND[results_format.file_extension]
        self.max_rows = max_rows
        self.buffer = bytearray()
        self.rows = 0
        self.truncated = False
        self._scan = 0  # where the search for the next row start resumes
        self._in_quotes = False  # CSV: inside a quoted field
        self._header_done = False  # CSV/TSV: the first line is the header

    def write(self, chunk: bytes) -> int:
        if self.truncated:  # the writer may retry or flush after the stop: keep refusing
            raise _CapReached
        self.buffer += chunk
        for start in self._row_starts():
            if self.rows == self.max_rows:
                del self.buffer[start:]
                self.buffer += _CLOSE[self.format]
                self.truncated = True
                raise _CapReached
            self.rows += 1
        return len(chunk)

    def flush(self) -> None:
        """pyoxigraph flushes its writer; nothing to do."""

    def _row_starts(self) -> list[int]:
        """Start offsets of the rows that begin in the newly written bytes."""
        if self.format == "JSON":
            return self._regex_starts(_JSON_NEXT, offset=1, first=_JSON_FIRST, first_offset=len(b'"bindings":['))
        if self.format == "XML":
            return self._regex_starts(_XML_ROW, offset=0)
        return self._line_starts(b"\r\n" if self.format == "CSV" else b"\n")

    def _regex_starts(self, pattern: re.Pattern[bytes], *, offset: int, first: re.Pattern[bytes] | None = None,
                      first_offset: int = 0) -> list[int]:
        starts = []
        if first is not None and self.rows == 0 and not self._header_done:
            match = first.search(self.buffer, 0)
            if not match:
                return []
            self._header_done = True
            starts.append(match.start() + first_offset)
            self._scan = match.end()
        for match in pattern.finditer(self.buffer, self._scan):
            starts.append(match.start() + offset)
            self._scan = match.end()
        tail = max(len(self.buffer) - 16, self._scan)  # a separator may be split across writes
        self._scan = tail
        return starts

    def _line_starts(self, newline: bytes) -> list[int]:
        """Rows are lines; in CSV a quoted field may hold newlines, so quotes are tracked."""
        starts = []
        position = self._scan
        data = self.buffer
        while True:
            if self.format == "CSV":
                quote = data.find(b'"', position)
                end = data.find(newline, position)
                if quote != -1 and (end == -1 or quote < end):
                    self._in_quotes = not self._in_quotes
                    position = quote + 1
                    continue
                if end != -1 and self._in_quotes:
                    position = end + len(newline)
                    continue
            else:
                end = data.find(newline, position)
            if end == -1 or end + len(newline) > len(data):
                break
            position = end + len(newline)
            if self._header_done:
                starts.append(self._line_start)
            self._header_done = True
            self._line_start = position
        self._scan = position
        return starts

    _line_start = 0


def serialize_capped(result: QuerySolutions, results_format: QueryResultsFormat, *,
                     max_rows: int) -> tuple[bytes, int, bool]:
    """Serialise SELECT results in the store's own format, keeping at most ``max_rows`` rows.

    :returns: the body, the number of rows in it, and whether rows were cut.
    """
    sink = RowSink(results_format, max_rows)
    try:
        result.serialize(sink, format=results_format)
    except _CapReached:
        pass
    except OSError as exc:  # pyoxigraph may wrap the sink's exception
        if not sink.truncated:
            raise exc
    return bytes(sink.buffer), sink.rows, sink.truncated
