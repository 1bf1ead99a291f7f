"""The SQL engine a run executes on: DuckDB in-process, or Spark (local mode unless given one).

Splink writes intermediate tables; on DuckDB they live in an in-memory database that disappears
with the run (spilling to a temporary folder past ``LinkSettings.memory_limit_gib``), on Spark in
a checkpoint folder. Both folders are created here and removed at the end.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from testament.link.errors import EngineError
from testament.link.settings import LinkSettings


def local_spark_session(app_name: str = "testament-link", *, partitions: int = 8) -> Any:
    """A Spark session in local mode on all cores, with settings suited to small machines.

    ``partitions`` is the number of shuffle partitions: 8 suits a laptop and a million records;
    tiny inputs (tests) run faster with 1, since Spark's cost is then per task, not per row.

    Raises:
        EngineError: there is no Java runtime, or PySpark is not installed.
    """
    if shutil.which("java") is None:
        raise EngineError(
            "the spark engine needs a Java runtime (17 or newer) on PATH; "
            "install one (apt-get install openjdk-17-jre-headless) or use --engine duckdb"
        )
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise EngineError(
            "the spark engine needs PySpark: pip install 'testament[spark]'"
        ) from error
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master("local[*]")
        .appName(app_name)
        # Splink's Jaro-Winkler and other similarity functions for Spark SQL live in this jar.
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


@contextmanager
def open_engine(settings: LinkSettings, spark_session: Any = None) -> Iterator[Any]:
    """Yield a Splink database API for ``settings.engine``; clean its temporary state after."""
    if settings.engine == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        spill = tempfile.mkdtemp(prefix="testament-duckdb-")
        config: dict[str, str | bool | int | float | list[str]] = {
            "temp_directory": spill,
            # Splink orders nothing by insertion; keeping the order costs memory on big joins.
            "preserve_insertion_order": False,
        }
        if settings.memory_limit_gib is not None:
            config["memory_limit"] = f"{settings.memory_limit_gib:g}GiB"
        connection = duckdb.connect(":memory:", config=config)
        try:
            yield DuckDBAPI(connection=connection)
        finally:
            connection.close()
            shutil.rmtree(spill, ignore_errors=True)
        return
    from splink import SparkAPI

    session = spark_session if spark_session is not None else local_spark_session()
    checkpoints = tempfile.mkdtemp(prefix="testament-spark-")
    try:
        session.sparkContext.setCheckpointDir(checkpoints)
        spark_api: Any = SparkAPI  # untyped in Splink
        partitions = int(session.conf.get("spark.sql.shuffle.partitions"))
        yield spark_api(spark_session=session, num_partitions_on_repartition=partitions)
    finally:
        shutil.rmtree(checkpoints, ignore_errors=True)
