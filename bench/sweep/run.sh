#!/usr/bin/env bash
# Measures the posture sweep against the AWS emulator at 200, 1,000 and 2,000
# buckets: each size gets a fresh moto server, is seeded with a mix of
# public, latent and private buckets (a few with access points), and is
# swept once in-process, as `aimsaudit invoke posture-sweep` runs it.
# Prints wall time (ns/op), calls per bucket for the bucket itself, access
# point and listing calls apart, all calls per bucket (evidence, manifests
# and alerts included) and the batches, with the machine's load before and
# after, which matters on a shared machine.
#
#   bench/sweep/run.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
echo "load before: $(uptime)"
go test ./bench/sweep -run '^$' -bench 'BenchmarkSweep' -benchtime 1x -timeout 20m -v |
	grep -E '^(Benchmark|    bench_test|ok|FAIL|--- )'
echo "load after: $(uptime)"
