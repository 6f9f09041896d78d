"""Results: the CLI's JSON documents as Python objects.

Every result keeps the document the CLI prints for the same inputs
(``to_dict()``); its keys are attributes (``result.analysis.total.di``),
nested documents are results too, and lists of documents are lists of
results. ``to_pandas()`` gives the natural table (layers, models, points)
when pandas is installed; in Jupyter, results render as tables and charts.
"""

import html


class Result:
    """A JSON document with attribute access."""

    def __init__(self, doc, svg=None, table_key=None):
        self._doc = doc
        self._svg = svg
        self._table_key = table_key

    def to_dict(self):
        """The document, as the CLI's --format json prints it (parsed)."""
        return self._doc

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return _wrap(self._doc[name])
        except (KeyError, TypeError):
            raise AttributeError(
                f"no field '{name}' (fields: {', '.join(sorted(self._doc))})") from None

    def __getitem__(self, key):
        return _wrap(self._doc[key])

    def __contains__(self, key):
        return key in self._doc

    def keys(self):
        return self._doc.keys()

    def __eq__(self, other):
        return isinstance(other, Result) and self._doc == other._doc

    def __repr__(self):
        fields = ", ".join(sorted(self._doc)[:8])
        return f"<reuselens result: {fields}{', ...' if len(self._doc) > 8 else ''}>"

    def _rows(self):
        """The records a table of this result has."""
        doc = self._doc
        if self._table_key:
            node = doc
            for part in self._table_key.split("."):
                node = node.get(part, []) if isinstance(node, dict) else []
            if isinstance(node, list):
                return node
        for key in ("layers", "models", "rows", "points"):
            if isinstance(doc.get(key), list):
                return doc[key]
        return [doc]

    def to_pandas(self):
        """The result's table as a DataFrame (pandas is optional)."""
        try:
            import pandas
        except ImportError as e:
            raise ImportError("to_pandas() needs pandas (Debian: python3-pandas)") from e
        frame = pandas.json_normalize(self._rows())
        # A model's network figures sit under "total": give them their own names.
        renames = {c: c[len("total."):] for c in frame.columns
                   if c.startswith("total.") and c[len("total."):] not in frame.columns}
        return frame.rename(columns=renames)

    def _repr_html_(self):
        rows = self._rows()
        if not rows or not isinstance(rows[0], dict):
            return "<pre>" + html.escape(repr(self._doc)) + "</pre>"
        columns = [k for k in rows[0] if not isinstance(rows[0][k], (dict, list))]
        head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>" for c in columns) + "</tr>"
            for r in rows)
        chart = self._svg or ""
        return f"{chart}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def _repr_svg_(self):
        return self._svg

    def svg(self):
        """The result's chart (roofline, sweep, correlation, energy), or None."""
        return self._svg


def _cell(v):
    if isinstance(v, float):
        return f"{v:.4g}"
    return "" if v is None else str(v)


def _wrap(value):
    if isinstance(value, dict):
        return Result(value)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [Result(v) for v in value]
    return value
