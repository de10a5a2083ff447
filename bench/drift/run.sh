#!/usr/bin/env bash
# Measures `aimsaudit drift` on two generated files of 10 million rows each
# (y_true,y_pred,score,sex,age_band,region,weight,income; about 390 MB each),
# testing income (Wasserstein) and region (Jensen–Shannon). Prints wall time,
# peak RSS and the machine's load, which matters on a shared machine.
#
# The files come from the fairness benchmark's seeded generator
# (bench/fairness/gencsv): the reference with seed 1, the current with seed 2.
#
#   bench/drift/run.sh [DIR]     # DIR defaults to /tmp/drift-bench
#
# The same case as a Go benchmark, once the files exist:
#
#   DRIFT_BENCH_REF=/tmp/drift-bench/ref.csv DRIFT_BENCH_CUR=/tmp/drift-bench/cur.csv \
#       go test ./bench/drift -run XXX -bench . -benchtime 3x
set -euo pipefail

cd "$(dirname "$0")/../.."
dir=${1:-/tmp/drift-bench}
rows=${ROWS:-10000000}
mkdir -p "$dir"

go build -o "$dir/gencsv" ./bench/fairness/gencsv
go build -o "$dir/aimsaudit" ./cmd/aimsaudit
[ -s "$dir/ref.csv" ] || "$dir/gencsv" -rows "$rows" -seed 1 >"$dir/ref.csv"
[ -s "$dir/cur.csv" ] || "$dir/gencsv" -rows "$rows" -seed 2 >"$dir/cur.csv"
ls -l "$dir/ref.csv" "$dir/cur.csv"

# Warm the page cache so the timing measures parsing, not the disk.
cat "$dir/ref.csv" "$dir/cur.csv" >/dev/null

echo "load before: $(uptime)"
for run in 1 2 3; do
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v "$dir/aimsaudit" drift --reference "$dir/ref.csv" \
			--current "$dir/cur.csv" --columns income,region >"$dir/out.json" 2>"$dir/time.txt"
		wall=$(grep 'Elapsed (wall clock)' "$dir/time.txt" | awk '{print $NF}')
		rss=$(grep 'Maximum resident' "$dir/time.txt" | awk '{print $NF}')
		echo "run $run: wall $wall, peak RSS $((rss / 1024)) MB"
	else
		start=$(date +%s.%N)
		"$dir/aimsaudit" drift --reference "$dir/ref.csv" --current "$dir/cur.csv" \
			--columns income,region >"$dir/out.json"
		echo "run $run: wall $(echo "$(date +%s.%N) - $start" | bc) s (no /usr/bin/time for RSS)"
	fi
done
echo "load after: $(uptime)"
grep -E '"(column|test|statistic)"' "$dir/out.json"
