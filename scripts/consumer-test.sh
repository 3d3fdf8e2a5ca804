#!/usr/bin/env bash
# The packages as a user installs them, with the README's own install commands ("Install"): pack the solution (the
# three packages) into a local folder, then, once for ML.NET 5.0.1 and once for 6.0.0, make a console project outside
# the repository with `dotnet new console`, point a nuget.config at the folder, `dotnet add package` Microsoft.ML,
# TinyNet.MLNet, TinyNet.MLNet.Onnx (and, on ML.NET 6, Microsoft.ML.OnnxConverter 0.24.0), plus Microsoft.ML.LightGbm of
# the same ML.NET version and ONNX Runtime; build it with TreatWarningsAsErrors (a NU1608/NU1107 from the dependency
# ranges fails here) and run tests/Consumer/Program.cs: train, PFI, save, export; load in a second process with no
# registration call and compare bit for bit; score the ONNX file. Then build examples/Quickstart (a project-reference
# consumer) with -o and run it.
# Prints "consumer test: passed" or "consumer test: FAILED (...)"; exit code 0 or 1.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A version no earlier run used, so the global NuGet cache cannot serve a stale package.
version="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/src/Directory.Build.props")-ci.$(date +%Y%m%d%H%M%S).$$"
fail() { echo "consumer test: FAILED ($1)"; exit 1; }
quiet() { "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log"; return 1; }; }

# README, Install: from a clone, pack the solution.
quiet dotnet pack "$root/TinyNet.sln" -c Release -o "$work/packages" -p:Version="$version" --nologo || fail "dotnet pack TinyNet.sln"
for p in TinyNet.Core TinyNet.MLNet TinyNet.MLNet.Onnx; do
  ls "$work/packages/$p.$version.nupkg" "$work/packages/$p.$version.snupkg" >/dev/null || fail "no $p package and symbols"
done
[ "$(ls "$work/packages"/*.nupkg | wc -l)" -eq 3 ] || fail "dotnet pack TinyNet.sln wrote other packages: $(ls "$work/packages")"

for mlnet in 5.0.1 6.0.0; do
  app="$work/app-$mlnet"
  mkdir -p "$app" "$work/run-$mlnet"
  cd "$app" || fail "cd"
  # README, Install: a project of your own, the folder as a package source, the packages.
  quiet dotnet new console --name MyApp --output . || fail "dotnet new console"
  quiet dotnet new nugetconfig || fail "dotnet new nugetconfig"
  quiet dotnet nuget add source "$work/packages" --name tinynet --configfile nuget.config || fail "dotnet nuget add source"
  quiet dotnet add package Microsoft.ML --version "$mlnet" || fail "ML.NET $mlnet: add Microsoft.ML"
  quiet dotnet add package TinyNet.MLNet --version "$version" || fail "ML.NET $mlnet: add TinyNet.MLNet"
  quiet dotnet add package TinyNet.MLNet.Onnx --version "$version" || fail "ML.NET $mlnet: add TinyNet.MLNet.Onnx"
  if [ "$mlnet" = 6.0.0 ]; then
    quiet dotnet add package Microsoft.ML.OnnxConverter --version 0.24.0 || fail "ML.NET $mlnet: add Microsoft.ML.OnnxConverter 0.24.0"
  fi
  # What the consumer program uses besides: LightGBM of the same ML.NET (it used to conflict: NU1107), ONNX Runtime.
  quiet dotnet add package Microsoft.ML.LightGbm --version "$mlnet" || fail "ML.NET $mlnet: add Microsoft.ML.LightGbm"
  quiet dotnet add package Microsoft.ML.OnnxRuntime --version 1.31.1 || fail "ML.NET $mlnet: add Microsoft.ML.OnnxRuntime"
  cp "$root/tests/Consumer/Program.cs" "$app/Program.cs"
  quiet dotnet build -c Release -p:TreatWarningsAsErrors=true --nologo -o "$work/out-$mlnet" || fail "ML.NET $mlnet: build with TreatWarningsAsErrors"
  echo "== ML.NET $mlnet"
  dotnet "$work/out-$mlnet/MyApp.dll" train "$work/run-$mlnet" || fail "ML.NET $mlnet: train and save"
  dotnet "$work/out-$mlnet/MyApp.dll" load "$work/run-$mlnet" || fail "ML.NET $mlnet: load in a second process"
  grep -q "Microsoft.ML\" Version=\"$mlnet\"" "$app/MyApp.csproj" || fail "ML.NET $mlnet: the project does not reference it"
done

# A project-reference consumer too (how the repository's own examples use TinyNet): built with -o, where the
# build-time loader step must still find its tool, then run; Quickstart saves and reloads its model.
quiet dotnet build "$root/examples/Quickstart" --nologo -o "$work/quickstart" || fail "build examples/Quickstart with -o"
(cd "$work" && dotnet "$work/quickstart/Quickstart.dll") || fail "run examples/Quickstart built with -o"
echo "consumer test: passed (dotnet pack TinyNet.sln: 3 packages $version; installed with dotnet add package into new console projects on ML.NET 5.0.1 and 6.0.0 beside LightGBM, built with TreatWarningsAsErrors; binary and multiclass pipelines trained, PFI by feature name, saved, loaded in a new process, scores bit-identical and classes equal; the ONNX export scored by ONNX Runtime; Quickstart built with -o)"
