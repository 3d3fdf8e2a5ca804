#!/usr/bin/env bash
# Mutation testing of TinyNet.Core's loss, activation and gradient code against tests/GradientChecks.
# Not part of CI (it takes several minutes). Report: tests/GradientChecks/StrykerOutput/<date>/reports/mutation-report.html
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore
cd tests/GradientChecks          # the test project Stryker runs; it mutates ../../src/TinyNet.Core
dotnet stryker --config-file ../../stryker-config.json "$@"
