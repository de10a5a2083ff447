#!/usr/bin/env bash
# LocalStack ready hook: seeds the demo estate into the running LocalStack.
#
# UNTESTED here (no Docker on the development machines); see
# ../../docker-compose.yml. It runs inside the LocalStack container, which has
# no Go toolchain, so it runs a seed binary built beforehand on the host:
#   CGO_ENABLED=0 GOOS=linux go build -o build/seed/seed ./localstack/seed
set -euo pipefail

seed=/opt/aimsaudit/seed
if [[ ! -x "$seed" ]]; then
  echo "aimsaudit seed: $seed missing; build it on the host (see docker-compose.yml)" >&2
  exit 1
fi
# LocalStack takes a 12-digit access key id as the account id; the sample
# events name account 123456789012.
AWS_ACCESS_KEY_ID=123456789012 AWS_SECRET_ACCESS_KEY=test \
  "$seed" --endpoint http://localhost:4566 --region us-east-1 --account 123456789012
