"""Helpers shared by splink_febrl.py and splink_demo.py: load CSV into DuckDB,
write Splink's predictions as id_l,id_r,probability, measure time and memory,
and run each data set in a fresh process so its peak memory is its own."""
import json
import multiprocessing
import resource
import time

import duckdb


def load_csv(con, table, path, select="*"):
    """Create `table` from a CSV, every column as text, empty cells as NULL."""
    con.execute(
        f"create or replace table {table} as select {select} from read_csv(?, header=true, "
        "all_varchar=true, nullstr='', quote='\"', escape='\"')", [path]).fetchall()
    return con.execute(f"select count(*) from {table}").fetchone()[0]


def write_pairs(con, predictions, path, dedupe, id_col):
    """Write id_l,id_r,probability. Dedupe: id_l < id_r. Link: id_l from the
    input aliased 'a', id_r from 'b'."""
    t = predictions.physical_name
    l, r = f"{id_col}_l", f"{id_col}_r"
    if dedupe:
        ids = f"least({l}, {r}) as id_l, greatest({l}, {r}) as id_r"
    else:
        ids = (f"case when source_dataset_l = 'a' then {l} else {r} end as id_l, "
               f"case when source_dataset_l = 'a' then {r} else {l} end as id_r")
    con.execute(f"copy (select {ids}, match_probability as probability from {t} "
                f"order by id_l, id_r) to '{path}' (header, delimiter ',')").fetchall()
    return con.execute(f"select count(*) from {t}").fetchone()[0]


def peak_mb():
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((self_kb + child_kb) / 1024, 1)


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = round(time.perf_counter() - self.start, 2)


def run_isolated(fn, *args):
    """Run fn(*args) in a fresh spawned process (own peak RSS); return its result."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(fn, args)


def summary_line(dataset, seconds, peak, pairs, at_05, best):
    return json.dumps({"dataset": dataset, "seconds": seconds, "peak_mb": peak,
                       "pairs": pairs, "at_0.5": at_05, "best": best})
