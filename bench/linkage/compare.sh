#!/usr/bin/env bash
# Amparo against Splink on the same data and machine: FEBRL 3 (deduplication), FEBRL 4
# (linkage of two files) and `amparo demo` persons with duplicates injected.
#
#   bench/linkage/compare.sh [HOUSEHOLDS]     (default 300000 households, about a million persons)
#
# Needs a release build (swift build -c release) and the venv of README.md. Prints, for each
# data set and tool, seconds, peak memory and precision/recall/F1 at 0.5 and at the best threshold.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
amparo="${AMPARO:-$here/../../.build/release/amparo}"
py="${PYTHON:-/tmp/linkage-venv/bin/python}"
work="${WORK:-/tmp/amparo-linkage}"
households="${1:-300000}"
mkdir -p "$work"

measure() {  # label truth pairs [--dedupe] -- command…
    local label=$1 truth=$2 pairs=$3 dedupe=$4; shift 5
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$label.log" 2>&1
    read -r seconds kilobytes < "$work/time"
    echo "$label: ${seconds} s, peak $((kilobytes / 1024)) MB"
    python3 "$here/evaluate.py" --truth "$truth" --pairs "$pairs" $dedupe --sweep | tail -1
}

febrl=(--column id=rec_id --column given_names=given_name --column surname=surname
       --column street_number=street_number --column address=address_1 --column address_detail=address_2
       --column locality=suburb --column postcode=postcode --column region=state
       --column birth_date=date_of_birth --column id_number=soc_sec_id)

[ -f "$work/febrl/febrl3.csv" ] || "$py" "$here/export_febrl.py" "$work/febrl"
measure amparo-febrl3 "$work/febrl/febrl3-truth.csv" "$work/amparo-febrl3.csv" --dedupe -- \
    "$amparo" link "$work/febrl/febrl3.csv" "${febrl[@]}" --out "$work/amparo-febrl3.csv"
measure amparo-febrl4 "$work/febrl/febrl4-truth.csv" "$work/amparo-febrl4.csv" "" -- \
    "$amparo" link "$work/febrl/febrl4a.csv" "$work/febrl/febrl4b.csv" "${febrl[@]}" --out "$work/amparo-febrl4.csv"
echo "splink (FEBRL):"
"$py" "$here/splink_febrl.py" --data "$work/febrl" --out "$work/splink-febrl" 2>/dev/null

demo="$work/demo-$households"
if [ ! -f "$demo-dup/truth.csv" ]; then
    "$amparo" demo --households "$households" --seed 1 --out "$demo" > /dev/null
    python3 "$here/inject_duplicates.py" --individuals "$demo/individuals.csv" --out "$demo-dup" --rate 0.1 --seed 7
fi
measure amparo-demo "$demo-dup/truth.csv" "$work/amparo-demo.csv" --dedupe -- \
    "$amparo" link "$demo-dup/individuals.csv" --out "$work/amparo-demo.csv"
echo "splink (demo):"
"$py" "$here/splink_demo.py" --data "$demo-dup" --out "$work/splink-demo" 2>/dev/null
