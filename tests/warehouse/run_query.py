#!/usr/bin/env python3
"""Runs a warehouse query written by `throughline sql` in a real engine, on units.csv.

    python3 tests/warehouse/run_query.py ENGINE UNITS.csv QUERY.sql OUT.csv

ENGINE is duckdb, postgres or spark. The unit-level table is loaded as `project.dataset."table"`
(Spark: `spark_catalog.dataset.`table``), with `order` and ``days`active`` as integers, the
other numbers as doubles (NaN and ±inf kept as such) and empty fields as NULL; the query file is
run as written and its result is saved as CSV (numbers with every digit, NULL as empty).

Exit codes: 0 done; 3 the engine is not installed here (the message says what is missing);
anything else, the engine failed.
"""
import csv
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile

NOT_INSTALLED = 3
INTEGER = {"order", "days`active"}
DOUBLE = {"Revenue USD", "buyer's \"score\""}


def missing(what: str) -> "NoReturn":  # noqa: F821
    print(f"not installed: {what}", file=sys.stderr)
    sys.exit(NOT_INSTALLED)


def read_units(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = []
        for line in reader:
            row = []
            for name, text in zip(header, line):
                if name in INTEGER:
                    row.append(int(text) if text != "" else None)
                elif name in DOUBLE:
                    row.append(float(text) if text != "" else None)
                else:
                    row.append(text)
            rows.append(row)
    return header, rows


def sql_type(name: str, integer: str, double: str, text: str) -> str:
    return integer if name in INTEGER else double if name in DOUBLE else text


def write_result(path, names, rows):
    def cell(v):
        if v is None:
            return ""
        if isinstance(v, float):
            return repr(v)
        return str(v)

    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        for row in rows:
            w.writerow([cell(v) for v in row])


def dq(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def run_duckdb(units, query, out):
    try:
        import duckdb
    except ImportError:
        missing("the duckdb Python package (pip install duckdb)")
    header, rows = read_units(units)
    con = duckdb.connect()
    con.execute("ATTACH ':memory:' AS project")
    con.execute("CREATE SCHEMA project.dataset")
    cols = ", ".join(f"{dq(h)} {sql_type(h, 'INTEGER', 'DOUBLE', 'VARCHAR')}" for h in header)
    con.execute(f'CREATE TABLE project.dataset."table" ({cols})')
    marks = ", ".join("?" for _ in header)
    con.executemany(f'INSERT INTO project.dataset."table" VALUES ({marks})', rows)
    res = con.execute(query)
    names = [d[0] for d in res.description]
    write_result(out, names, res.fetchall())


def run_spark(units, query, out):
    try:
        from pyspark.sql import SparkSession
        from pyspark.sql.types import (DoubleType, LongType, StringType, StructField,
                                       StructType)
    except ImportError:
        missing("the pyspark Python package (pip install pyspark)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing("Java (apt-get install default-jre-headless)")
    header, rows = read_units(units)
    schema = StructType([
        StructField(h, LongType() if h in INTEGER else DoubleType() if h in DOUBLE
                    else StringType(), True)
        for h in header
    ])
    with tempfile.TemporaryDirectory(prefix="throughline-spark-") as tmp:
        spark = (SparkSession.builder.master("local[1]")
                 .appName("throughline-warehouse-test")
                 .config("spark.ui.enabled", "false")
                 .config("spark.ui.showConsoleProgress", "false")
                 .config("spark.sql.shuffle.partitions", "1")
                 .config("spark.sql.catalogImplementation", "in-memory")
                 .config("spark.sql.warehouse.dir", os.path.join(tmp, "warehouse"))
                 .config("spark.driver.extraJavaOptions", f"-Djava.io.tmpdir={tmp}")
                 .getOrCreate())
        try:
            spark.sparkContext.setLogLevel("ERROR")
            spark.sql("CREATE DATABASE dataset")
            spark.createDataFrame(rows, schema).write.saveAsTable("spark_catalog.dataset.`table`")
            res = spark.sql(query)
            names = res.columns
            write_result(out, names, [list(r) for r in res.collect()])
        finally:
            spark.stop()


def postgres_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    return shutil.which(name)


def run_postgres(units, query, out):
    initdb, pg_ctl, psql = (postgres_bin(n) for n in ("initdb", "pg_ctl", "psql"))
    if not (initdb and pg_ctl and psql):
        missing("PostgreSQL (apt-get install postgresql)")
    # initdb and pg_ctl refuse to run as root: run the server as the `postgres` user then.
    as_user = []
    owner = None
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            missing("a `postgres` user to run the server as (apt-get install postgresql)")
        runuser = shutil.which("runuser") or next(
            (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if os.path.exists(p)), None)
        if runuser is None:
            missing("runuser (util-linux), to start PostgreSQL as the `postgres` user")
        owner = (pw.pw_uid, pw.pw_gid)
        as_user = [runuser, "-u", "postgres", "--"]
    # The data directory and the server's socket live in a fresh temporary directory, which is
    # also the server tools' working directory (the `postgres` user may not be allowed into
    # the folder the tests run from).
    tmp = tempfile.mkdtemp(prefix="throughline-pg-")
    if owner:
        os.chown(tmp, *owner)
    data = os.path.join(tmp, "data")
    log = os.path.join(tmp, "server.log")
    started = False
    try:
        subprocess.run(as_user + [initdb, "-D", data, "-A", "trust", "-U", "throughline",
                                  "--no-sync", "-E", "UTF8", "--locale=C"],
                       check=True, stdout=subprocess.DEVNULL, cwd=tmp)
        opts = f"-k {tmp} -c listen_addresses='' -c fsync=off"
        subprocess.run(as_user + [pg_ctl, "-D", data, "-l", log, "-o", opts, "-w", "start"],
                       check=True, stdout=subprocess.DEVNULL, cwd=tmp)
        started = True
        base = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", tmp, "-U", "throughline"]
        subprocess.run(base + ["-d", "postgres", "-c", "CREATE DATABASE project"], check=True)
        header, _ = read_units(units)
        cols = ", ".join(
            f"{dq(h)} {sql_type(h, 'INTEGER', 'DOUBLE PRECISION', 'TEXT')}" for h in header)
        setup = (f'CREATE SCHEMA dataset;\nCREATE TABLE dataset."table" ({cols});\n'
                 f"\\copy dataset.\"table\" FROM '{os.path.abspath(units)}' "
                 "WITH (FORMAT csv, HEADER true)\n")
        subprocess.run(base + ["-d", "project"], input=setup.encode(), check=True)
        # The query runs as written, against the three-part name project.dataset."table".
        subprocess.run(base + ["-d", "project", "--csv", "-f", query, "-o", out], check=True)
    finally:
        # Stopped whatever happened (also when pg_ctl start gave up with the server running).
        if started or os.path.exists(os.path.join(data, "postmaster.pid")):
            subprocess.run(as_user + [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"],
                           stdout=subprocess.DEVNULL, check=False, cwd=tmp)
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    engine, units, query_file, out = sys.argv[1:]
    # A test harness that gives up sends SIGTERM: leave through the clean-up code (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if engine == "postgres":
        run_postgres(units, os.path.abspath(query_file), out)
        return
    with open(query_file) as f:
        query = f.read()
    if engine == "duckdb":
        run_duckdb(units, query, out)
    elif engine == "spark":
        run_spark(units, query, out)
    else:
        print(f"unknown engine {engine!r}: duckdb, postgres or spark", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
