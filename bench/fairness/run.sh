#!/usr/bin/env bash
# Times `aimsaudit fairness` end to end on generated evaluation CSVs, with a
# one-column awk sum of the same file as the baseline, on one core and on
# two, and prints MB/s, rows/s and peak RSS. Generated files go to
# $BENCH_DIR (default aimsaudit-bench in the system's temporary directory),
# never into the repository.
#
#   bench/fairness/run.sh            # 1M and 10M rows, best of 3 runs each
#   ROWS="1000000" RUNS=1 bench/fairness/run.sh
#   AIMSAUDIT=path/to/aimsaudit bench/fairness/run.sh   # time a prebuilt binary
#
# Each file is read once before timing so that the page cache holds it: the
# numbers measure parsing and counting, not the disk. One core means
# GOMAXPROCS=1 and taskset to CPU 0; two cores GOMAXPROCS=2 on CPUs 0-1.
set -euo pipefail

cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-$(dirname "$(mktemp -u)")/aimsaudit-bench}
ROWS=${ROWS:-"1000000 10000000"}
RUNS=${RUNS:-3}
mkdir -p "$BENCH_DIR"

bin=${AIMSAUDIT:-$BENCH_DIR/aimsaudit}
[ -n "${AIMSAUDIT:-}" ] || go build -o "$bin" ./cmd/aimsaudit
go build -o "$BENCH_DIR/gencsv" ./bench/fairness/gencsv

# measure CMD...: runs CMD and prints "<wall s> <peak RSS KB> <CPU s>"; the
# wall time comes from the shell's microsecond clock, RSS and CPU time
# (user + system, which other load on the machine barely changes) from
# /usr/bin/time -v, or from Python's rusage when it is absent.
measure() {
	local start end usage
	start=$EPOCHREALTIME
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v -o "$BENCH_DIR/time.out" "$@" >/dev/null
		end=$EPOCHREALTIME
		usage=$(awk -F': ' '/Maximum resident/ { rss = $2 } /User time|System time/ { cpu += $2 }
			END { print rss, cpu }' "$BENCH_DIR/time.out")
	else
		usage=$(python3 - "$@" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(u.ru_maxrss, u.ru_utime + u.ru_stime)
PY
)
		end=$EPOCHREALTIME
	fi
	awk -v s="$start" -v e="$end" -v u="$usage" 'BEGIN { printf "%.3f %s\n", e - s, u }'
}

# best CMD...: the fastest of $RUNS runs, with its peak RSS.
best() {
	for _ in $(seq "$RUNS"); do
		measure "$@"
	done | sort -n | head -1
}

report() { # tool cores rows bytes wall rss cpu
	awk -v tool="$1" -v cores="$2" -v rows="$3" -v bytes="$4" -v wall="$5" -v rss="$6" \
		-v cpu="$7" 'BEGIN {
		if (wall < 0.001) wall = 0.001
		printf "| %9d | %7.1f | %-9s | %5d | %6.3f | %7.1f | %7.2f | %6.1f | %5.2f |\n",
			rows, bytes / 1e6, tool, cores, wall, bytes / 1e6 / wall, rows / 1e6 / wall,
			rss / 1024, cpu
	}'
}

echo "load before: $(uptime)"
echo
echo "|      rows |      MB | tool      | cores | wall s |    MB/s | Mrows/s | RSS MB | CPU s |"
echo "|-----------|---------|-----------|-------|--------|---------|---------|--------|-------|"
for rows in $ROWS; do
	file="$BENCH_DIR/eval-$rows.csv"
	[ -s "$file" ] || "$BENCH_DIR/gencsv" -rows "$rows" -seed 42 >"$file"
	cat "$file" >/dev/null
	bytes=$(stat -c %s "$file")
	read -r wall rss cpu < <(best taskset -c 0 awk -F, 'NR > 1 { s += $7 } END { print s }' "$file")
	report awk 1 "$rows" "$bytes" "$wall" "$rss" "$cpu"
	for cores in 1 2; do
		cpus=0
		[ "$cores" = 2 ] && cpus=0,1
		read -r wall rss cpu < <(best env GOMAXPROCS=$cores taskset -c $cpus \
			"$bin" fairness --data "$file" --label y_true --prediction y_pred \
			--positive 1 --weight weight --sensitive sex --sensitive age_band \
			--sensitive sex,region)
		report aimsaudit "$cores" "$rows" "$bytes" "$wall" "$rss" "$cpu"
	done
done
echo
echo "load after: $(uptime)"
