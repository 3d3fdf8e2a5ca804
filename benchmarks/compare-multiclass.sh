#!/usr/bin/env bash
# The softmax head beside TorchSharp, in one run on this machine: training epochs for K ∈ {3, 10, 26} at
# D = 100, H = 64, B ∈ {32, 256}; N = 100,000 teacher rows cut into K equal classes; plain SGD, lr 1e-3, shuffled epochs.
#   - TinyNet through the user path (Trainer.Train, Head.MulticlassClassification, Threads = 0), at the widest vector width
#     and with AVX-512 switched off (AVX2);
#   - the TorchSharp-cpu peer (benchmarks/TorchSharpPeer multiclass: nn.Linear, nn.Sigmoid, nn.Linear(H, K),
#     CrossEntropyLoss, optim.SGD, randperm per epoch), best of 1 and 2 threads.
# Usage: benchmarks/compare-multiclass.sh > results.txt
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=134217728   # see ../shared/tools/torchsharp-native
dotnet build -c Release benchmarks/TinyNet.Benchmarks -v q -nologo >/dev/null
dotnet build -c Release benchmarks/TorchSharpPeer -v q -nologo >/dev/null
tiny="benchmarks/TinyNet.Benchmarks/bin/Release/net10.0/TinyNet.Benchmarks.dll"
torch="benchmarks/TorchSharpPeer/bin/Release/net10.0/TorchSharpPeer.dll"

echo "# $(date -u +%F) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no)"
for k in 3 10 26; do
  for b in 32 256; do
    for w in "" "DOTNET_EnableAVX512=0"; do
      env $w dotnet "$tiny" --multiclass-path 100 64 $k $b 0 3 3
    done
    for t in 1 2; do
      dotnet "$torch" multiclass 100 64 $k $b $t 3 3
    done
  done
done
