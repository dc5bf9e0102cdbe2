"""Add duplicate people with realistic errors to an Amparo individuals.csv.

Usage:
    python inject_duplicates.py --individuals DEMO/individuals.csv --out DIR [--rate 0.1] [--seed 7]

Reads the exchange-format individuals.csv (see shared/data-dictionary.md),
e.g. from `amparo demo --households N --out DEMO`, as a stream, and writes
    DIR/individuals.csv  every original row, plus one duplicate for each person
                         picked with probability --rate; the duplicate has
                         person_ref = original ref + "-dup" and errors drawn
                         from the model in README.md ("Error model")
    DIR/truth.csv        id_l,id_r = original ref, duplicate ref
households.csv and areas.csv next to the input are copied into DIR, so DIR
can be imported as it is. Duplicates are written a few thousand rows after
their original, in random order, so they are not next to it. Memory stays
flat (a bounded buffer), so millions of rows are fine. The same seed and
input always give the same output. Standard library only.
"""
import argparse
import csv
import os
import random
import shutil
import unicodedata
from collections import deque
from datetime import date

# Error model: each error is drawn independently for each duplicate.
P_ACCENTS_DROPPED = 0.30    # accents and ñ dropped in every name field
P_GIVEN_SHORTENED = 0.30    # compound given name cut to its first name
P_TYPO_GIVEN = 0.15         # one typo in the given names
P_TYPO_FIRST_SURNAME = 0.15
P_TYPO_SECOND_SURNAME = 0.10
P_SURNAMES_SWAPPED = 0.05   # first and second surname exchanged
P_SECOND_SURNAME_MISSING = 0.10
P_DAY_MONTH_SWAPPED = 0.05  # only possible when the day is 1..12 and differs from the month
P_DATE_DIGIT_OFF = 0.10     # one digit of the date +-1 (mod 10), still a valid date <= today
P_ID_TRANSPOSED = 0.10      # two adjacent different digits of the id number exchanged
P_ID_MISSING = 0.10         # id_type and id_number left empty
P_MOVED = 0.10              # household_ref of another (recently seen) household

LETTERS = "abcdefghijklmnopqrstuvwxyz"
BUFFER = 5000               # duplicates held back before being written
RECENT_HOUSEHOLDS = 1000


def drop_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s)
                   if not unicodedata.combining(c))


def keep_case(orig, new):
    """Capitalise each word of `new` whose word in `orig` was capitalised."""
    o, n = orig.split(" "), new.split(" ")
    if len(o) != len(n):
        return new
    return " ".join(w.capitalize() if a and a == a.capitalize() else w for a, w in zip(o, n))


def typo(rng, s):
    """One substitution, deletion, insertion or adjacent transposition."""
    return keep_case(s, _typo(rng, s))


def _typo(rng, s):
    positions = [i for i, c in enumerate(s) if c.isalpha()]
    if len(positions) < 2:
        return s
    i = rng.choice(positions)
    kind = rng.choice(("substitution", "deletion", "insertion", "transposition"))
    letter = rng.choice(LETTERS)
    if kind == "substitution":
        return s[:i] + letter + s[i + 1:]
    if kind == "deletion":
        return s[:i] + s[i + 1:]
    if kind == "insertion":
        return s[:i] + letter + s[i:]
    j = i + 1 if i + 1 < len(s) and s[i + 1].isalpha() else i - 1
    if j < 0 or not s[j].isalpha():
        return s
    a, b = min(i, j), max(i, j)
    return s[:a] + s[b] + s[a] + s[b + 1:]


def valid_date(s):
    """YYYY-MM-DD, a real date, from 1900 to today."""
    try:
        return len(s) == 10 and date(1900, 1, 1) <= date.fromisoformat(s) <= date.today()
    except ValueError:
        return False


def date_errors(rng, s):
    if not valid_date(s):
        return s
    if rng.random() < P_DAY_MONTH_SWAPPED:
        y, m, d = s.split("-")
        if int(d) <= 12 and d != m:
            s = f"{y}-{d}-{m}"
    if rng.random() < P_DATE_DIGIT_OFF:
        digits = [i for i, c in enumerate(s) if c.isdigit()]
        for _ in range(20):
            i = rng.choice(digits)
            c = str((int(s[i]) + rng.choice((-1, 1))) % 10)
            t = s[:i] + c + s[i + 1:]
            if valid_date(t):
                return t
    return s


def transpose_adjacent(rng, s):
    pairs = [i for i in range(len(s) - 1) if s[i] != s[i + 1]]
    if not pairs:
        return s
    i = rng.choice(pairs)
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


def make_duplicate(rng, row, recent_households):
    d = dict(row)
    d["person_ref"] = row["person_ref"] + "-dup"
    names = ("given_names", "first_surname", "second_surname")
    if rng.random() < P_ACCENTS_DROPPED:
        for k in names:
            d[k] = drop_accents(d[k])
    if rng.random() < P_GIVEN_SHORTENED and " " in d["given_names"].strip():
        d["given_names"] = d["given_names"].split()[0]
    if rng.random() < P_SURNAMES_SWAPPED and d["second_surname"]:
        d["first_surname"], d["second_surname"] = d["second_surname"], d["first_surname"]
    if rng.random() < P_SECOND_SURNAME_MISSING:
        d["second_surname"] = ""
    for k, p in zip(names, (P_TYPO_GIVEN, P_TYPO_FIRST_SURNAME, P_TYPO_SECOND_SURNAME)):
        if rng.random() < p:
            d[k] = typo(rng, d[k])
    d["birth_date"] = date_errors(rng, d["birth_date"])
    if rng.random() < P_ID_TRANSPOSED:
        d["id_number"] = transpose_adjacent(rng, d["id_number"])
    if rng.random() < P_ID_MISSING:
        d["id_type"] = d["id_number"] = ""
    if rng.random() < P_MOVED:
        others = [h for h in recent_households if h != row["household_ref"]]
        if others:
            d["household_ref"] = rng.choice(others)
    return d


def inject(individuals, out_dir, rate, seed):
    """Returns (original rows, duplicates written)."""
    rng = random.Random(seed)
    os.makedirs(out_dir, exist_ok=True)
    out_path = os.path.join(out_dir, "individuals.csv")
    if os.path.exists(out_path) and os.path.samefile(out_path, individuals):
        raise SystemExit("--out must not be the folder of --individuals")
    recent = deque(maxlen=RECENT_HOUSEHOLDS)
    pending = []
    n = n_dup = 0
    with open(individuals, newline="", encoding="utf-8") as fin, \
            open(out_path, "w", newline="", encoding="utf-8") as fout, \
            open(os.path.join(out_dir, "truth.csv"), "w", newline="", encoding="utf-8") as ftruth:
        reader = csv.DictReader(fin)
        writer = csv.DictWriter(fout, fieldnames=reader.fieldnames, lineterminator="\n")
        truth = csv.writer(ftruth, lineterminator="\n")
        writer.writeheader()
        truth.writerow(["id_l", "id_r"])
        for row in reader:
            n += 1
            writer.writerow(row)
            if not recent or recent[-1] != row["household_ref"]:
                recent.append(row["household_ref"])
            if rng.random() < rate:
                dup = make_duplicate(rng, row, recent)
                truth.writerow([row["person_ref"], dup["person_ref"]])
                pending.append(dup)
                n_dup += 1
                if len(pending) > BUFFER:  # write a random held-back duplicate
                    i = rng.randrange(len(pending))
                    pending[i], pending[-1] = pending[-1], pending[i]
                    writer.writerow(pending.pop())
        rng.shuffle(pending)
        writer.writerows(pending)
    src = os.path.dirname(os.path.abspath(individuals))
    for name in ("households.csv", "areas.csv"):
        if os.path.exists(os.path.join(src, name)):
            shutil.copyfile(os.path.join(src, name), os.path.join(out_dir, name))
    return n, n_dup


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--individuals", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rate", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    n, n_dup = inject(a.individuals, a.out, a.rate, a.seed)
    print(f"{n} original rows, {n_dup} duplicates, {n + n_dup} rows written to "
          f"{os.path.join(a.out, 'individuals.csv')}")


if __name__ == "__main__":
    main()
