"""Run Splink 4 (DuckDB backend, dedupe_only) on an Amparo individuals.csv
with injected duplicates: the reference for the Swift engine on Amparo data.

Usage:
    /tmp/amparo-rel demo --households 100000 --seed 1 --out /tmp/demo
    python inject_duplicates.py --individuals /tmp/demo/individuals.csv --out /tmp/demo-dup
    /tmp/linkage-venv/bin/python splink_demo.py --data /tmp/demo-dup --out /tmp/demo-out

Reads DATA/individuals.csv and DATA/truth.csv; writes
RESULTDIR/splink-demo-pairs.csv (id_l,id_r,probability with id_l < id_r, every
pair scored >= 0.01) and prints one JSON line like splink_febrl.py: dataset,
seconds (reading the CSV to pairs written), peak_mb, pairs, scores at 0.5 and
at the best threshold.

Names are compared lower-cased and without accents (ñ -> n). Model:
given names (exact with term frequencies, same first given name, Jaro-Winkler),
surnames as one comparison (both equal, swapped, second missing, typos, one in
common), birth date (exact, one edit, day/month swapped, within a year), sex,
id number (exact, one edit), household. lambda from deterministic rules, u by
random sampling, m by EM blocked on birth date and on id number.
"""
import argparse
import os

import duckdb
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from evaluate import evaluate_files
from splink_common import Timer, load_csv, peak_mb, run_isolated, summary_line, write_pairs

PREPARE = """
    person_ref, household_ref, sex, birth_date, id_number,
    nullif(lower(strip_accents(trim(given_names))), '') as given,
    nullif(split_part(lower(strip_accents(trim(given_names))), ' ', 1), '') as given1,
    nullif(lower(strip_accents(trim(first_surname))), '') as s1,
    nullif(lower(strip_accents(trim(second_surname))), '') as s2,
    nullif(concat_ws(' ', s1, s2), '') as surnames
"""

SURNAMES = cl.CustomComparison(
    output_column_name="surnames",
    comparison_levels=[
        cll.And(cll.NullLevel("s1"), cll.NullLevel("s2")),
        cll.ExactMatchLevel("surnames").configure(tf_adjustment_column="surnames"),
        cll.CustomLevel("s1_l = s2_r and s2_l = s1_r", label_for_charts="swapped"),
        cll.And(cll.ExactMatchLevel("s1"), cll.NullLevel("s2")),
        cll.And(cll.JaroWinklerLevel("s1", 0.9), cll.JaroWinklerLevel("s2", 0.9)),
        cll.JaroWinklerLevel("s1", 0.9),
        cll.CustomLevel("s1_l = s2_r or s2_l = s1_r", label_for_charts="one in common"),
        cll.ElseLevel(),
    ],
)

GIVEN = cl.CustomComparison(
    output_column_name="given",
    comparison_levels=[
        cll.NullLevel("given"),
        cll.ExactMatchLevel("given").configure(tf_adjustment_column="given"),
        cll.ExactMatchLevel("given1"),
        cll.JaroWinklerLevel("given", 0.92),
        cll.JaroWinklerLevel("given", 0.8),
        cll.ElseLevel(),
    ],
)

BIRTH_DATE = cl.CustomComparison(
    output_column_name="birth_date",
    comparison_levels=[
        cll.NullLevel("birth_date"),
        cll.ExactMatchLevel("birth_date"),
        cll.DamerauLevenshteinLevel("birth_date", 1),
        cll.CustomLevel(
            "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) and "
            "substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) and "
            "substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)",
            label_for_charts="day and month swapped"),
        cll.AbsoluteDateDifferenceLevel("birth_date", input_is_string=True,
                                        threshold=1, metric="year"),
        cll.ElseLevel(),
    ],
)

COMPARISONS = [
    GIVEN,
    SURNAMES,
    BIRTH_DATE,
    cl.ExactMatch("sex"),
    cl.DamerauLevenshteinAtThresholds("id_number", [1]),
    cl.ExactMatch("household_ref"),
]

YEAR = "substr(birth_date, 1, 4)"

BLOCKING = [  # together these miss about 0.1% of the injected duplicates
    block_on("id_number"),
    block_on("birth_date", "s1"),
    block_on("birth_date", "given1"),
    block_on("birth_date", "s2"),
    block_on("given1", "s1", "s2"),
    block_on("household_ref"),
    "l.s1 = r.s2 and l.s2 = r.s1 and l.given1 = r.given1",
    block_on("given1", "s1", YEAR),
    block_on("given1", "s2", YEAR),
    block_on("s1", "s2", "substr(birth_date, 1, 7)"),
    "l.s1 = r.s2 and l.birth_date = r.birth_date",
    "l.s2 = r.s1 and l.birth_date = r.birth_date",
]

# Not household_ref nor names: siblings share them (the demo even has siblings
# with the same given names), and EM then learns "same family", not "same person".
EM_BLOCKING = [block_on("birth_date"), block_on("id_number")]

DETERMINISTIC = [
    block_on("id_number"),
    block_on("given", "s1", "s2", "birth_date"),
]


def run(data_dir, out_dir, u_max_pairs):
    out = os.path.join(out_dir, "splink-demo-pairs.csv")
    with Timer() as timer:
        con = duckdb.connect()
        con.execute("set enable_progress_bar = false")
        db_api = DuckDBAPI(connection=con)
        load_csv(con, "people", os.path.join(data_dir, "individuals.csv"), PREPARE)
        settings = SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="person_ref",
            blocking_rules_to_generate_predictions=BLOCKING,
            comparisons=COMPARISONS,
        )
        linker = Linker("people", settings, db_api, set_up_basic_logging=False)
        linker.training.estimate_probability_two_random_records_match(
            DETERMINISTIC, recall=0.8)
        linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=1)
        for rule in EM_BLOCKING:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True)
        predictions = linker.inference.predict(threshold_match_probability=0.01)
        n_pairs = write_pairs(con, predictions, out, True, "person_ref")
    scores = evaluate_files(os.path.join(data_dir, "truth.csv"), out, 0.5, True, sweep=True)
    return summary_line("demo", timer.seconds, peak_mb(), n_pairs,
                        {k: v for k, v in scores.items() if k not in ("sweep", "best")},
                        scores["best"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="folder with individuals.csv and truth.csv")
    ap.add_argument("--out", required=True, help="folder for the pairs file")
    ap.add_argument("--u-max-pairs", type=float, default=1e7,
                    help="pairs sampled to estimate u (default 1e7)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    print(run_isolated(run, a.data, a.out, a.u_max_pairs), flush=True)


if __name__ == "__main__":
    main()
