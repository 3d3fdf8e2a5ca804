#!/usr/bin/env bash
# Issue 14's consumer test: pack TinyNet.Core, TinyNet.MLNet and TinyNet.MLNet.Onnx to a local folder, install them by version
# into a scratch console project outside the repository (tests/Consumer: no project references, a nuget.config naming
# that folder and nuget.org), train and save there, load in a second process with no registration call and compare
# the scores bit for bit (the consumer is built with -o into a fresh folder and run from there); then build
# examples/Quickstart, a project-reference consumer, with -o and run it.
# Prints "consumer test: passed" or "consumer test: FAILED (...)"; exit code 0 or 1.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A version no earlier run used, so the global NuGet cache cannot serve a stale package.
version="0.1.0-ci.$(date +%Y%m%d%H%M%S).$$"
fail() { echo "consumer test: FAILED ($1)"; exit 1; }

dotnet pack "$root/src/TinyNet.Core" -c Release -o "$work/feed" -p:Version="$version" --nologo -v q || fail "pack TinyNet.Core"
dotnet pack "$root/src/TinyNet.MLNet" -c Release -o "$work/feed" -p:Version="$version" --nologo -v q || fail "pack TinyNet.MLNet"
dotnet pack "$root/src/TinyNet.MLNet.Onnx" -c Release -o "$work/feed" -p:Version="$version" --nologo -v q || fail "pack TinyNet.MLNet.Onnx"
ls "$work/feed"/TinyNet.MLNet."$version".nupkg "$work/feed"/TinyNet.MLNet."$version".snupkg >/dev/null || fail "no TinyNet.MLNet package and symbols"

mkdir -p "$work/app" "$work/run"
cp "$root/tests/Consumer/Consumer.csproj" "$root/tests/Consumer/Program.cs" "$work/app/"
cat > "$work/app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="tinynet-local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML

cd "$work/app" || fail "cd"
dotnet build -c Release -p:TinyNetVersion="$version" --nologo -v q -o "$work/out" || fail "build the consumer with -o"
dotnet "$work/out/Consumer.dll" train "$work/run" || fail "train and save"
dotnet "$work/out/Consumer.dll" load "$work/run" || fail "load in a second process"
# A project-reference consumer too (how the repository's own examples use TinyNet): built with -o, where the
# build-time loader step must still find its tool, then run; Quickstart saves and reloads its model.
dotnet build "$root/examples/Quickstart" --nologo -v q -o "$work/quickstart" || fail "build examples/Quickstart with -o"
(cd "$work" && dotnet "$work/quickstart/Quickstart.dll") || fail "run examples/Quickstart built with -o"
echo "consumer test: passed (TinyNet.MLNet and TinyNet.MLNet.Onnx $version from a local feed; built with -o; binary and multiclass pipelines saved, loaded in a new process, scores bit-identical and classes equal; the ONNX export scored by ONNX Runtime; Quickstart built with -o)"
