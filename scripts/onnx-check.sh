#!/usr/bin/env bash
# The ONNX files TinyNet exports, checked by ONNX's own checker: tests/TinyNet.MLNet.Onnx.Tests' OnnxModelEditorTests
# export the README's pipelines (multiclass ending in MapKeyToValue, binary with one-hot categoricals, regression, numeric
# class values, and one with ML.NET's intermediates kept) into a folder; each file must pass onnx.checker.check_model with
# full_check=True and strict shape inference. Uses Debian's python3-onnx (installed here if missing: a study and CI tool,
# never needed by the two README commands). Prints "onnx check: passed (N files)" or "onnx check: FAILED (...)".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python=/usr/bin/python3
if ! "$python" -c "import onnx" 2>/dev/null; then
  (apt-get install -y -qq python3-onnx >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq python3-onnx >/dev/null 2>&1; }) \
    || { echo "onnx check: FAILED (python3-onnx could not be installed)"; exit 1; }
fi

TINYNET_ONNX_EXPORT_DIR="$dir" dotnet test "$root/tests/TinyNet.MLNet.Onnx.Tests" --no-build --filter "FullyQualifiedName~OnnxModelEditorTests" \
  > "$dir/test.log" 2>&1 || { cat "$dir/test.log"; echo "onnx check: FAILED (the exporting tests failed)"; exit 1; }

"$python" - "$dir"/*.onnx <<'PY'
import sys, onnx
from onnx import shape_inference
failed = 0
for path in sys.argv[1:]:
    model = onnx.load(path)
    try:
        onnx.checker.check_model(model, full_check=True)
        shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        print(f"  {path.rsplit('/', 1)[-1]}: onnx {onnx.__version__} full check passed "
              f"({len(model.graph.input)} inputs, {len(model.graph.output)} outputs, {len(model.graph.node)} nodes)")
    except Exception as e:
        failed += 1
        print(f"  {path.rsplit('/', 1)[-1]}: FAILED: {e}")
sys.exit(1 if failed or len(sys.argv) < 3 else 0)
PY
status=$?
count=$(ls "$dir"/*.onnx | wc -l)
if [ "$status" -eq 0 ]; then echo "onnx check: passed ($count files)"; else echo "onnx check: FAILED (see above)"; exit 1; fi
