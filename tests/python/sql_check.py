"""Loads `mailsift events` into DuckDB and chDB and checks it against `mailsift report`.

Usage: sql_check.py REPO CASE_DIR...

Each CASE_DIR holds what mailsift wrote for one set of logs: events.csv, events.ndjson
(`mailsift events`), report.csv and report.json (`mailsift report`). For each, and for both
engines, this script:

* loads both event files with the one-line loads shown in README.md (and checks that README.md
  shows them): DuckDB's read_csv_auto and read_json_auto, and ClickHouse's file(). It checks
  the column types (timestamp a timestamp, codes text, line and pid integers), the row count,
  that every empty field is NULL and none is '', and every timestamp as an instant, then runs
  the README's class split;
* loads both files again into the tables of sql/duckdb/events.sql and
  sql/clickhouse/events.sql, checks the same, and runs the queries of sql/ (the class split,
  the codes table, the top destinations per code), comparing them with report.csv and
  report.json row for row.

Times without an offset are read as UTC in both engines, which is how mailsift orders them.
Exits with status 1 and a list of differences when anything disagrees.
"""

import csv
import json
import os
import sys
from datetime import datetime, timezone

import chdb
import duckdb
from chdb import session as chdb_session

# The one-line loads and the class split shown in README.md, run here as they are written
# there, in the directory that holds events.csv and events.ndjson.
DUCKDB_CSV_LOAD = (
    "CREATE TABLE events AS FROM read_csv_auto('events.csv', "
    "types = {'timestamp': 'TIMESTAMPTZ', 'reply_code': 'VARCHAR'})"
)
DUCKDB_NDJSON_LOAD = (
    "CREATE TABLE events AS SELECT * REPLACE (timestamp::TIMESTAMPTZ AS timestamp) "
    "FROM read_json_auto('events.ndjson')"
)
DUCKDB_TABLE_CSV_LOAD = (
    "INSERT INTO events BY NAME SELECT * FROM read_csv_auto('events.csv', all_varchar = true)"
)
DUCKDB_TABLE_NDJSON_LOAD = (
    "INSERT INTO events BY NAME SELECT * FROM read_json_auto('events.ndjson')"
)
DUCKDB_CLASS_SPLIT = (
    "SELECT class, permanence, count(*) AS count FROM events "
    "WHERE action NOT IN ('refused', 'reject_warning') GROUP BY ALL ORDER BY class"
)
CLICKHOUSE_CLASS_SPLIT = (
    "SELECT class, permanence, count() AS count FROM file('{file}') "
    "WHERE action NOT IN ('refused', 'reject_warning') GROUP BY class, permanence ORDER BY class"
)
CLICKHOUSE_SETTING = "--date_time_input_format=best_effort"

COLUMNS = [
    "file", "line", "timestamp", "log_format", "host", "program", "pid", "queue_id",
    "direction", "action", "stage", "reply_code", "enhanced_code", "dsn", "class",
    "permanence", "reason", "remote_host", "remote_ip", "sender", "recipient",
    "recipient_domain", "text",
]
CODES = ["reply_code", "enhanced_code", "dsn"]
INTEGERS = ["line", "pid"]
CLASSES = ["2xx", "3xx", "4xx", "5xx"]

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def micros(text):
    """Microseconds since the epoch of a timestamp as mailsift or an engine writes it; one
    without an offset is taken as UTC."""
    if text is None or text == "":
        return None
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    delta = when - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def defused(name):
    """A name as mailsift writes it in a CSV cell: prefixed with ' when a spreadsheet would
    take it for a formula."""
    if name and name[0] in "=+-@":
        return "'" + name
    return name


def read_sql(repo, engine, name):
    with open(os.path.join(repo, "sql", engine, name + ".sql"), encoding="utf-8") as f:
        return f.read().strip().rstrip(";")


class Case:
    """What mailsift wrote for one set of logs."""

    def __init__(self, directory):
        self.dir = directory
        self.name = os.path.basename(directory)
        with open(os.path.join(directory, "events.csv"), newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            check(header == COLUMNS, f"{self.name}: events.csv header {header}")
            self.csv_rows = [dict(zip(header, row)) for row in reader]
        with open(os.path.join(directory, "events.ndjson"), encoding="utf-8") as f:
            self.json_rows = [json.loads(line) for line in f]
        with open(os.path.join(directory, "report.csv"), newline="", encoding="utf-8") as f:
            self.report = list(csv.DictReader(f))
        with open(os.path.join(directory, "report.json"), encoding="utf-8") as f:
            self.summary = json.load(f)
        self.events = len(self.json_rows)
        check(len(self.csv_rows) == self.events, f"{self.name}: CSV and NDJSON row counts")
        # Empty fields: an empty CSV cell is a JSON null, and nothing is written as "".
        self.nulls = {}
        for column in COLUMNS:
            empty = sum(1 for row in self.csv_rows if row[column] == "")
            null = sum(1 for row in self.json_rows if row[column] is None)
            check(empty == null, f"{self.name}: {column}: {empty} empty cells, {null} nulls")
            check(
                all(row[column] != "" for row in self.json_rows),
                f"{self.name}: {column} has \"\" in NDJSON",
            )
            self.nulls[column] = null
        for column in CODES:
            check(
                all(row[column] is None or isinstance(row[column], str) for row in self.json_rows),
                f"{self.name}: {column} is not a string in NDJSON",
            )
        self.times = {
            (row["file"], row["line"]): micros(row["timestamp"]) for row in self.json_rows
        }
        # The class split, as the JSON summary counts it and as the CSV rows add up.
        by_class = self.summary["by_class"]
        self.class_split = {c: by_class.get(c, 0) for c in CLASSES}
        from_rows = {c: 0 for c in CLASSES}
        for row in self.report:
            from_rows[row["class"]] += int(row["count"])
        check(from_rows == self.class_split, f"{self.name}: report.csv adds up to {from_rows}")
        self.outcomes = sum(self.class_split.values())

    def expected_top_destinations(self, source):
        """The top destinations of every code of the JSON summary, by direction and codes."""
        tops = {}
        for code in self.summary["codes"]:
            reply = None if code["reply_code"] is None else str(code["reply_code"])
            enhanced = code["enhanced_code"]
            codeless = code["reason"] if reply is None and enhanced is None else None
            names = [
                (defused(d["name"]) if source == "csv" else d["name"], d["count"])
                for d in code["top_destinations"]
            ]
            if names:
                tops[(code["direction"], code["class"], reply, enhanced, codeless)] = names
        return tops


def compare_class_split(case, label, rows):
    """rows: (class, permanence, count[, share])."""
    got = {c: 0 for c in CLASSES}
    permanence = {"2xx": "success", "3xx": "intermediate", "4xx": "transient", "5xx": "permanent"}
    for row in rows:
        got[row[0]] = int(row[2])
        check(permanence.get(row[0]) == row[1], f"{label}: class {row[0]} with {row[1]}")
        if len(row) > 3:
            check(
                abs(float(row[3]) - int(row[2]) / case.outcomes) <= 0.00005 + 1e-12,
                f"{label}: share of {row[0]} is {row[3]}",
            )
    check(got == case.class_split, f"{label}: class split {got}, report {case.class_split}")
    check([r[0] for r in rows] == sorted(r[0] for r in rows), f"{label}: classes out of order")


def compare_codes(case, label, rows, source):
    """rows: reply_code, enhanced_code, class, permanence, count, share, first_seen (micros),
    last_seen (micros), top_domain, top_domain_count, reason."""
    check(
        len(rows) == len(case.report),
        f"{label}: {len(rows)} code rows, report has {len(case.report)}",
    )
    for at, (got, want) in enumerate(zip(rows, case.report)):
        reply, enhanced, klass, permanence, count, share, first, last, top, top_n, reason = got
        top = "" if top is None else top
        if source == "ndjson":
            top = defused(top)
        mine = (
            reply or "", enhanced or "", klass, permanence, int(count), first, last,
            top, "" if top_n is None else str(int(top_n)), reason,
        )
        theirs = (
            want["reply_code"], want["enhanced_code"], want["class"], want["permanence"],
            int(want["count"]), micros(want["first_seen"]), micros(want["last_seen"]),
            want["top_domain"], want["top_domain_count"], want["reason"],
        )
        check(mine == theirs, f"{label}: row {at + 1}: {mine} but the report has {theirs}")
        exact = int(count) / case.outcomes
        check(
            abs(exact - float(want["share"])) <= 0.00005 + 1e-12
            and abs(float(share) - float(want["share"])) <= 0.0001 + 1e-12,
            f"{label}: row {at + 1}: share {share}, report {want['share']}",
        )


def compare_top_destinations(case, label, rows, source):
    """rows: direction, class, reply_code, enhanced_code, codeless_reason, rank, destination,
    count."""
    got = {}
    for direction, klass, reply, enhanced, codeless, rank, destination, count in rows:
        names = got.setdefault((direction, klass, reply, enhanced, codeless), [])
        check(int(rank) == len(names) + 1, f"{label}: rank {rank} of {destination}")
        names.append((destination, int(count)))
    want = case.expected_top_destinations(source)
    for key in sorted(set(got) | set(want), key=repr):
        check(
            got.get(key) == want.get(key),
            f"{label}: top destinations of {key}: {got.get(key)}, report {want.get(key)}",
        )


# DuckDB ------------------------------------------------------------------------------------


def duckdb_rows(con, query):
    """The rows of a query, with every TIMESTAMPTZ as microseconds since the epoch (fetching
    time zone aware values into Python would need pytz)."""
    con.execute("DROP TABLE IF EXISTS result")
    con.execute("CREATE TEMP TABLE result AS " + query)
    columns = con.execute("DESCRIBE result").fetchall()
    select = ", ".join(
        f'epoch_us("{name}")' if kind.startswith("TIMESTAMP") else f'"{name}"'
        for name, kind, *_ in columns
    )
    return con.execute(f"SELECT {select} FROM result").fetchall()


def duckdb_columns(con, label, case, exact):
    """Checks the types, row count, NULLs and timestamps of the table `events`. Unless
    `exact`, a column that is NULL in every row may have any type: its type is guessed from
    values it does not have."""
    types = {name: kind for name, kind, *_ in con.execute("DESCRIBE events").fetchall()}
    check(list(types) == COLUMNS, f"{label}: columns {list(types)}")
    expected = {"timestamp": ["TIMESTAMP WITH TIME ZONE"]}
    expected.update({column: ["VARCHAR"] for column in CODES})
    expected.update({column: ["BIGINT", "UBIGINT", "INTEGER", "UINTEGER"] for column in INTEGERS})
    for column, kinds in expected.items():
        if exact or case.nulls[column] < case.events:
            check(types.get(column) in kinds, f"{label}: {column} is {types.get(column)}")
    count = con.execute("SELECT count(*) FROM events").fetchone()[0]
    check(count == case.events, f"{label}: {count} rows, {case.events} events")
    nulls = con.execute(
        "SELECT " + ", ".join(f'count(*) - count("{c}")' for c in COLUMNS) + " FROM events"
    ).fetchone()
    empties = con.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE \"{c}\"::VARCHAR = '')" for c in COLUMNS)
        + " FROM events"
    ).fetchone()
    for column, null, empty in zip(COLUMNS, nulls, empties):
        check(null == case.nulls[column], f"{label}: {column} has {null} NULLs")
        check(empty == 0, f"{label}: {column} has {empty} empty strings")
    rows = con.execute('SELECT file, line, epoch_us("timestamp") FROM events').fetchall()
    times = {(f, l): t for f, l, t in rows}
    check(times == case.times, f"{label}: timestamps differ from the NDJSON's")


def check_duckdb(case, repo, source, load, table_load):
    label = f"{case.name}: DuckDB {source}"
    # The one-line load, types guessed from the values.
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(load)
    duckdb_columns(con, label, case, exact=False)
    compare_class_split(
        case, f"{label} README class split", con.execute(DUCKDB_CLASS_SPLIT).fetchall()
    )
    con.close()
    # The table of sql/duckdb/events.sql, and the queries of sql/duckdb.
    label += " table"
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(read_sql(repo, "duckdb", "events"))
    con.execute(table_load)
    duckdb_columns(con, label, case, exact=True)

    def run(query):
        return duckdb_rows(con, read_sql(repo, "duckdb", query))

    compare_class_split(case, f"{label} class_split.sql", run("class_split"))
    compare_codes(case, f"{label} codes.sql", run("codes"), source)
    compare_top_destinations(case, f"{label} top_destinations.sql", run("top_destinations"), source)
    con.close()


# chDB --------------------------------------------------------------------------------------


def ch_query(ses, query):
    """(column types, rows) of a query; DateTime64 values come as microseconds."""
    result = json.loads(ses.query(query, "JSONCompact").bytes())
    types = [column["type"] for column in result["meta"]]
    rows = []
    for row in result["data"]:
        rows.append(
            tuple(
                micros(value) if "DateTime" in kind else value
                for value, kind in zip(row, types)
            )
        )
    return types, rows


def chdb_columns(ses, label, case, table, expected, exact):
    """Checks the types, row count, NULLs and timestamps of `table` (a table or a file()).
    Unless `exact`, a column that is NULL in every row may have any type."""
    types = dict((row[0], row[1]) for row in ch_query(ses, f"DESCRIBE {table}")[1])
    check(list(types) == COLUMNS, f"{label}: columns {list(types)}")
    for column, kinds in expected.items():
        if exact or case.nulls[column] < case.events:
            check(types.get(column) in kinds, f"{label}: {column} is {types.get(column)}")
    counts = ch_query(
        ses,
        "SELECT count(), "
        + ", ".join(f"countIf(isNull({c})), countIf(toString({c}) = '')" for c in COLUMNS)
        + f" FROM {table}",
    )[1][0]
    check(int(counts[0]) == case.events, f"{label}: {counts[0]} rows, {case.events} events")
    for at, column in enumerate(COLUMNS):
        null, empty = int(counts[1 + 2 * at]), int(counts[2 + 2 * at])
        check(null == case.nulls[column], f"{label}: {column} has {null} NULLs")
        check(empty == 0, f"{label}: {column} has {empty} empty strings")
    rows = ch_query(ses, f"SELECT file, line, timestamp FROM {table}")[1]
    times = {(f, int(l)): t for f, l, t in rows}
    check(times == case.times, f"{label}: timestamps differ from the NDJSON's")


def check_chdb(case, repo, ses, source):
    label = f"{case.name}: chDB {source}"
    name = "events." + source
    # Straight from the file, with the types ClickHouse guesses from the values.
    expected = {"timestamp": ["Nullable(DateTime64(9))", "Nullable(DateTime)"]}
    expected.update({column: ["Nullable(String)"] for column in CODES})
    expected.update({column: ["Nullable(Int64)"] for column in INTEGERS})
    chdb_columns(ses, label, case, f"file('{name}')", expected, exact=False)
    compare_class_split(
        case,
        f"{label} README class split",
        ch_query(ses, CLICKHOUSE_CLASS_SPLIT.format(file=name))[1],
    )
    # In the table of sql/clickhouse/events.sql, with the queries of sql/clickhouse.
    label += " table"
    fmt = {"csv": "CSVWithNames", "ndjson": "JSONEachRow"}[source]
    ses.query("DROP TABLE IF EXISTS events")
    ses.query(read_sql(repo, "clickhouse", "events"))
    ses.query(f"INSERT INTO events SELECT * FROM file('{name}', {fmt})")
    expected = {"timestamp": ["Nullable(DateTime64(6, 'UTC'))"]}
    expected.update({column: ["LowCardinality(Nullable(String))"] for column in CODES})
    expected.update({"line": ["UInt64"], "pid": ["Nullable(UInt32)"]})
    chdb_columns(ses, label, case, "events", expected, exact=True)

    def run(query):
        return ch_query(ses, read_sql(repo, "clickhouse", query))[1]

    compare_class_split(case, f"{label} class_split.sql", run("class_split"))
    compare_codes(case, f"{label} codes.sql", run("codes"), source)
    compare_top_destinations(case, f"{label} top_destinations.sql", run("top_destinations"), source)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    repo = os.path.abspath(sys.argv[1])
    cases = [os.path.abspath(d) for d in sys.argv[2:]]
    with open(os.path.join(repo, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    for text in [
        DUCKDB_CSV_LOAD,
        DUCKDB_NDJSON_LOAD,
        DUCKDB_TABLE_CSV_LOAD,
        DUCKDB_TABLE_NDJSON_LOAD,
        DUCKDB_CLASS_SPLIT,
        CLICKHOUSE_SETTING,
    ]:
        check(text in readme, f"README.md does not show: {text}")
    for name in ["events.csv", "events.ndjson"]:
        text = CLICKHOUSE_CLASS_SPLIT.format(file=name)
        check(text in readme, f"README.md does not show: {text}")
    ses = chdb_session.Session()
    # mailsift writes RFC 3339; ClickHouse's default parser does not take offsets.
    ses.query("SET date_time_input_format = 'best_effort'")
    ses.query("SET session_timezone = 'UTC'")
    ses.query("CREATE DATABASE IF NOT EXISTS mailsift")
    ses.query("USE mailsift")
    for directory in cases:
        os.chdir(directory)
        before = len(failures)
        case = Case(directory)
        check(case.events > 0, f"{case.name}: no events")
        for source, load, table_load in [
            ("csv", DUCKDB_CSV_LOAD, DUCKDB_TABLE_CSV_LOAD),
            ("ndjson", DUCKDB_NDJSON_LOAD, DUCKDB_TABLE_NDJSON_LOAD),
        ]:
            check_duckdb(case, repo, source, load, table_load)
            check_chdb(case, repo, ses, source)
        verdict = "agree" if len(failures) == before else "DIFFER"
        print(
            f"{case.name}: {case.events} events, {len(case.report)} codes, "
            f"class split {case.class_split}: DuckDB and chDB {verdict} with the report"
        )
    ses.close()
    if failures:
        print(f"{len(failures)} differences:", file=sys.stderr)
        for failure in failures[:200]:
            print("  " + failure, file=sys.stderr)
        sys.exit(1)
    print(f"duckdb {duckdb.__version__}, chdb {chdb.__version__}: all agree")


if __name__ == "__main__":
    main()
