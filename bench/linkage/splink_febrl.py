"""Run Splink 4 (DuckDB backend) on FEBRL 3 (dedupe) and FEBRL 4 (link): the
reference results the Swift linkage engine is compared against.

Usage:
    /tmp/linkage-venv/bin/python export_febrl.py /tmp/febrl
    /tmp/linkage-venv/bin/python splink_febrl.py --data /tmp/febrl --out /tmp/febrl-out

Writes RESULTDIR/splink-febrl3-pairs.csv and splink-febrl4-pairs.csv
(id_l,id_r,probability, every pair scored >= 0.01) and prints one JSON line per
data set: dataset, seconds (wall clock from reading the CSVs to the pairs file
written), peak_mb (max RSS of the process that ran it, plus children), pairs,
and the scores at threshold 0.5 and at the best threshold (see evaluate.py).
Each data set runs in a fresh process so its time and memory are its own.

Model (after Splink's own FEBRL examples, made a little richer): names with
Jaro-Winkler levels and term-frequency adjustment, date of birth with string
and date-distance levels, soc_sec_id Damerau-Levenshtein, address fields;
lambda from deterministic rules, u from random sampling (--u-max-pairs, default
1e6 as in Splink's FEBRL examples), m by EM blocked on date of birth and on
postcode.
"""
import argparse
import os

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from evaluate import evaluate_files
from splink_common import Timer, load_csv, peak_mb, run_isolated, summary_line, write_pairs

BLOCKING = [
    block_on("given_name", "surname"),
    "l.given_name = r.surname and l.surname = r.given_name",
    block_on("date_of_birth"),
    block_on("soc_sec_id"),
    block_on("postcode", "street_number"),
    block_on("state", "address_1"),
    block_on("postcode"),
]

COMPARISONS = [
    cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
    cl.NameComparison("surname").configure(term_frequency_adjustments=True),
    # date_of_birth is turned into YYYY-MM-DD on loading (see ISO_DOB): Splink
    # 4.0.17 ignores datetime_format in the date-difference levels. Invalid
    # dates (e.g. month 13) are kept, so the exact and typo levels still see them.
    cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                             invalid_dates_as_null=False),
    cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
    cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
    cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
    cl.JaroWinklerAtThresholds("address_2", [0.9, 0.7]),
    cl.JaroWinklerAtThresholds("suburb", [0.9]).configure(term_frequency_adjustments=True),
    cl.DamerauLevenshteinAtThresholds("postcode", [1]).configure(term_frequency_adjustments=True),
    cl.ExactMatch("state").configure(term_frequency_adjustments=True),
]

ISO_DOB = ("* replace (case when regexp_full_match(date_of_birth, '[0-9]{8}') then "
           "substr(date_of_birth, 1, 4) || '-' || substr(date_of_birth, 5, 2) || '-' || "
           "substr(date_of_birth, 7, 2) else date_of_birth end as date_of_birth)")

DETERMINISTIC = [
    block_on("soc_sec_id"),
    block_on("given_name", "surname", "date_of_birth"),
    "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
]


def run(dataset, data_dir, out_dir, u_max_pairs):
    dedupe = dataset == "febrl3"
    out = os.path.join(out_dir, f"splink-{dataset}-pairs.csv")
    with Timer() as timer:
        con = duckdb.connect()
        con.execute("set enable_progress_bar = false")
        db_api = DuckDBAPI(connection=con)
        if dedupe:
            load_csv(con, "febrl3", os.path.join(data_dir, "febrl3.csv"), ISO_DOB)
            tables, aliases = "febrl3", None
        else:
            load_csv(con, "febrl4a", os.path.join(data_dir, "febrl4a.csv"), ISO_DOB)
            load_csv(con, "febrl4b", os.path.join(data_dir, "febrl4b.csv"), ISO_DOB)
            tables, aliases = ["febrl4a", "febrl4b"], ["a", "b"]
        settings = SettingsCreator(
            link_type="dedupe_only" if dedupe else "link_only",
            unique_id_column_name="rec_id",
            blocking_rules_to_generate_predictions=BLOCKING,
            comparisons=COMPARISONS,
        )
        linker = Linker(tables, settings, db_api, set_up_basic_logging=False,
                        input_table_aliases=aliases)
        linker.training.estimate_probability_two_random_records_match(
            DETERMINISTIC, recall=0.9 if dedupe else 0.8)
        linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=1)
        for rule in (block_on("date_of_birth"), block_on("postcode")):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True)
        predictions = linker.inference.predict(threshold_match_probability=0.01)
        n_pairs = write_pairs(con, predictions, out, dedupe, "rec_id")
    truth = os.path.join(data_dir, f"{dataset}-truth.csv")
    scores = evaluate_files(truth, out, 0.5, dedupe, sweep=True)
    return summary_line(dataset, timer.seconds, peak_mb(), n_pairs,
                        {k: v for k, v in scores.items() if k not in ("sweep", "best")},
                        scores["best"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="folder written by export_febrl.py")
    ap.add_argument("--out", required=True, help="folder for the pairs files")
    ap.add_argument("--dataset", choices=["febrl3", "febrl4"], action="append",
                    help="run only this one (repeatable); default both")
    ap.add_argument("--u-max-pairs", type=float, default=1e6,
                    help="pairs sampled to estimate u (default 1e6)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for dataset in a.dataset or ["febrl3", "febrl4"]:
        print(run_isolated(run, dataset, a.data, a.out, a.u_max_pairs), flush=True)


if __name__ == "__main__":
    main()
