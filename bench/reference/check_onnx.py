#!/usr/bin/python3
"""Validate ONNX files written by `vicreg export --format onnx` with onnx's own checker (python3-onnx, Debian 12: 1.12).

    apt-get install python3-onnx
    vicreg export --run runs/NAME --branch b --format onnx --with-expander --out /tmp/audio.onnx
    /usr/bin/python3 bench/reference/check_onnx.py /tmp/audio.onnx [more.onnx | folder ...]

Every catalog encoder at once: the ONNX parity tests keep the models they export when VICREG_ONNX_EXPORT_DIR is set,
    VICREG_ONNX_EXPORT_DIR=/tmp/onnx-models dotnet test tests/Vicreg.Tests --filter "FullyQualifiedName~OnnxParityTests"
    /usr/bin/python3 bench/reference/check_onnx.py /tmp/onnx-models

For each file: onnx.checker.check_model with full_check (the structural checks and strict shape inference), then one
line with the opset, the node count, the inputs and outputs with their shapes, and the metadata keys. Exits 1 when any
file fails. Not a test dependency: the tests run the models in ONNX Runtime instead.
"""

import os
import sys

import onnx


def shape(value):
    return "[" + ", ".join(d.dim_param or str(d.dim_value) for d in value.type.tensor_type.shape.dim) + "]"


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    opset = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
    inputs = ", ".join(f"{i.name} {shape(i)}" for i in model.graph.input)
    outputs = ", ".join(f"{o.name} {shape(o)}" for o in model.graph.output)
    keys = ",".join(p.key for p in model.metadata_props)
    print(f"OK {path}: IR {model.ir_version}, opset {opset}, {len(model.graph.node)} nodes; in {inputs}; out {outputs}; metadata {keys}")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    files = []
    for arg in sys.argv[1:]:
        if os.path.isdir(arg):
            files += sorted(os.path.join(arg, f) for f in os.listdir(arg) if f.endswith(".onnx"))
        else:
            files.append(arg)
    failed = 0
    for path in files:
        try:
            check(path)
        except Exception as e:  # the checker raises several types; each file gets its one line
            failed += 1
            print(f"FAILED {path}: {type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}")
    print(f"onnx {onnx.__version__} checker: {len(files) - failed} of {len(files)} files passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
