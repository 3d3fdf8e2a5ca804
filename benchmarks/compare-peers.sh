#!/usr/bin/env bash
# TinyNet beside its peers, in one run on this machine:
#   - TinyNet through the user path (Trainer.Train, shuffled epochs, plain SGD, binary head, Threads = 0), at the widest
#     vector width and again with AVX-512 switched off (AVX2), and with AVX2 off too (SSE, Vector128) if asked;
#   - the TorchSharp-cpu 0.107 peer (benchmarks/TorchSharpPeer: nn.Linear, nn.Sigmoid, optim.SGD, randperm per epoch),
#     best of 1 and 2 threads (its README: libtorch with 2 threads can be slower);
#   - OpenBLAS sgemm (fp32 4096² matmul through Debian's numpy and libopenblas0-pthread) at 1 and 2 threads.
# N = 100,000 teacher rows; 4·N·D·H flops per epoch. Usage: benchmarks/compare-peers.sh [--sse] > results.txt
set -euo pipefail
cd "$(dirname "$0")/.."
widths=("" "DOTNET_EnableAVX512=0")
[ "${1:-}" = "--sse" ] && widths+=("DOTNET_EnableAVX2=0")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# glibc's malloc thresholds: a fresh libtorch process otherwise runs large batches 2.5-5x slower (TorchSharp notes).
export MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=134217728
dotnet build -c Release benchmarks/TinyNet.Benchmarks -v q -nologo >/dev/null
dotnet build -c Release benchmarks/TorchSharpPeer -v q -nologo >/dev/null
tiny="benchmarks/TinyNet.Benchmarks/bin/Release/net10.0/TinyNet.Benchmarks.dll"
torch="benchmarks/TorchSharpPeer/bin/Release/net10.0/TorchSharpPeer.dll"

echo "# $(date -u +%F) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no)"
for shape in "10 8" "10 64" "100 64" "100 256"; do
  for b in 1 32 256 4096; do
    if [ "$b" = 1 ]; then epochs=1; else epochs=3; fi
    for w in "${widths[@]}"; do
      env $w dotnet "$tiny" --user-path $shape $b 0 $epochs 3
    done
    for t in 1 2; do
      dotnet "$torch" $shape $b $t $epochs 3
    done
  done
done

if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  for t in 1 2; do
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$t /usr/bin/python3 - <<PY
import time, numpy as np
a = np.random.rand(4096, 4096).astype(np.float32); b = np.random.rand(4096, 4096).astype(np.float32)
a @ b
times = []
for _ in range(5):
    s = time.perf_counter(); a @ b; times.append(time.perf_counter() - s)
times.sort()
print(f"openblas sgemm threads=$t 4096^3: median {times[2]:.4f} s, {2 * 4096**3 / times[2] / 1e9:.1f} GFLOP/s")
PY
  done
else
  echo "openblas: /usr/bin/python3 with numpy not found (apt-get install python3-numpy libopenblas0-pthread)"
fi
