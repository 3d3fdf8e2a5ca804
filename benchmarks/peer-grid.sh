#!/usr/bin/env bash
# TinyNet beside TorchSharp over a grid of shapes, at every vector width this CPU can switch to, each side limited to the
# same instruction set. One training epoch (s/epoch, median of 3 calls), N = 100,000 teacher rows, plain SGD, shuffled:
#   - TinyNet through the user path (Trainer.Train, Threads = 0): binary (--user-path) or softmax (--multiclass-path);
#   - the TorchSharp-cpu 0.107 peer (benchmarks/TorchSharpPeer), best of 1 and 2 threads.
# Widths: AVX-512 (if the CPU has it: nothing limited), AVX2 (TinyNet DOTNET_EnableAVX512=0; libtorch
# ATEN_CPU_CAPABILITY=avx2, MKL_ENABLE_INSTRUCTIONS=AVX2, DNNL_MAX_CPU_ISA=AVX2). Prints one Markdown table per width;
# ratio = TorchSharp / TinyNet (above 1: TinyNet faster).
# Usage: benchmarks/peer-grid.sh [--quick] > results.md
#   (default) the full grid: D ∈ {4, 10, 30, 100, 300} × H ∈ {8, 16, 64, 256} × B ∈ {1, 32, 256, 4096}, binary and
#             K ∈ {3, 10, 26} — 320 points per width, hours on 2 cores: run it on a machine with time to spare;
#   --quick   the accuracy/speed issue's table (8 binary points) and K ∈ {3, 10, 26} at D = 100, H = 64, B = 256.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=134217728   # see ../shared/tools/torchsharp-native
dotnet build -c Release benchmarks/TinyNet.Benchmarks -v q -nologo >/dev/null
dotnet build -c Release benchmarks/TorchSharpPeer -v q -nologo >/dev/null
tiny="benchmarks/TinyNet.Benchmarks/bin/Release/net10.0/TinyNet.Benchmarks.dll"
torch="benchmarks/TorchSharpPeer/bin/Release/net10.0/TorchSharpPeer.dll"

points=()   # "K D H B" (K = 1: binary)
if [ "${1:-}" = --quick ]; then
  points=("1 10 8 1" "1 10 8 32" "1 10 64 256" "1 100 64 32" "1 100 64 256" "1 100 256 256" "1 10 8 4096" "1 100 256 4096"
          "3 100 64 256" "10 100 64 256" "26 100 64 256")
else
  for k in 1 3 10 26; do for d in 4 10 30 100 300; do for h in 8 16 64 256; do for b in 1 32 256 4096; do
    points+=("$k $d $h $b")
  done; done; done; done
fi

median() { sed -n 's/.*median \([0-9.]*\) s\/epoch.*/\1/p'; }

declare -A tinyEnv=([avx512]="" [avx2]="DOTNET_EnableAVX512=0")
declare -A torchEnv=([avx512]="" [avx2]="ATEN_CPU_CAPABILITY=avx2 MKL_ENABLE_INSTRUCTIONS=AVX2 DNNL_MAX_CPU_ISA=AVX2")
widths=(avx2)
grep -qw avx512f /proc/cpuinfo && widths=(avx512 avx2)

echo "# $(date -u +%F) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, avx512f: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no)"
for w in "${widths[@]}"; do
  echo
  echo "## $w"
  echo
  echo "| head | D | H | B | TinyNet s/epoch | TorchSharp s/epoch (best of 1, 2 threads) | ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for p in "${points[@]}"; do
    read -r k d h b <<<"$p"
    epochs=3; [ "$b" = 1 ] && epochs=1
    if [ "$k" = 1 ]; then
      t=$(env ${tinyEnv[$w]} dotnet "$tiny" --user-path "$d" "$h" "$b" 0 $epochs 3 | median)
      peer=(); for th in 1 2; do peer+=("$(env ${torchEnv[$w]} dotnet "$torch" "$d" "$h" "$b" $th $epochs 3 | median)"); done
      head=binary
    else
      t=$(env ${tinyEnv[$w]} dotnet "$tiny" --multiclass-path "$d" "$h" "$k" "$b" 0 $epochs 3 | median)
      peer=(); for th in 1 2; do peer+=("$(env ${torchEnv[$w]} dotnet "$torch" multiclass "$d" "$h" "$k" "$b" $th $epochs 3 | median)"); done
      head="K = $k"
    fi
    best=$(printf '%s\n' "${peer[@]}" | sort -g | head -1)
    ratio=$(awk -v a="$best" -v b="$t" 'BEGIN { printf "%.1f×", a / b }')
    echo "| $head | $d | $h | $b | $t | $best | $ratio |"
  done
done
