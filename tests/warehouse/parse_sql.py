#!/usr/bin/env python3
"""Checks that warehouse queries parse in their engine's dialect with sqlglot.

    python3 tests/warehouse/parse_sql.py DIALECT=FILE.sql [DIALECT=FILE.sql ...]

DIALECT is a sqlglot dialect name (bigquery, snowflake, spark, duckdb, postgres). Each file must
hold exactly one statement that sqlglot reads without an error. For each file one JSON line on
stdout gives what sqlglot read: the column names (unquoted, unescaped), the table's parts and the
result column names, so a test can check that quoting kept every name intact. Exit codes: 0
every file parses;
1 one does not (the message says which and why); 3 sqlglot is not installed here.
"""
import json
import sys

try:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel
except ImportError:
    print("not installed: the sqlglot Python package (pip install sqlglot)", file=sys.stderr)
    sys.exit(3)


def main() -> int:
    failed = 0
    for arg in sys.argv[1:]:
        dialect, _, path = arg.partition("=")
        with open(path) as f:
            text = f.read()
        try:
            statements = [s for s in sqlglot.parse(text, read=dialect,
                                                   error_level=ErrorLevel.RAISE) if s is not None]
            if len(statements) != 1:
                raise ValueError(f"expected one statement, found {len(statements)}")
            # Every SELECT expression must survive a round trip through the dialect.
            sqlglot.transpile(text, read=dialect, write=dialect, error_level=ErrorLevel.RAISE)
        except Exception as e:  # noqa: BLE001 - any parse failure is reported
            print(f"{path} does not parse as {dialect}: {e}", file=sys.stderr)
            failed += 1
        else:
            tree = statements[0]
            table = tree.find(exp.Table)
            print(json.dumps({
                "file": path,
                "dialect": dialect,
                "sqlglot": sqlglot.__version__,
                "columns": sorted({c.name for c in tree.find_all(exp.Column)}),
                "table": [p.name for p in table.parts] if table else [],
                "results": tree.named_selects,
            }))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
