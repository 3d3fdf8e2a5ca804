#!/usr/bin/env bash
# Mutation testing with Stryker.NET. Not part of CI (it takes minutes). Two runs:
#   scripts/mutation.sh          the notes' math (Activations, Losses, Backprop, GradientChecker) against tests/GradientChecks
#   scripts/mutation.sh engine   the engine (Kernels, FastEngine, Scorer, Trainer, the heads) against tests/TinyNet.Core.Tests, with an
#                                extra 10 s per test run so that a mutant that spins is cut off, and 2 test runners at most
# Report: tests/<project>/StrykerOutput/<date>/reports/mutation-report.html; scores in docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore
if [ "${1:-}" = engine ]; then
  shift
  cd tests/TinyNet.Core.Tests
  dotnet stryker --config-file ../../stryker-engine-config.json "$@"
else
  cd tests/GradientChecks          # the test project Stryker runs; it mutates ../../src/TinyNet.Core
  dotnet stryker --config-file ../../stryker-config.json "$@"
fi
