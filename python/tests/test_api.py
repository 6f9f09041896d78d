"""The Python module against the CLI's JSON, hand-computed cases, the torch
path, errors, and rendering."""
import json
import os

import pytest

import reuselens as rl

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def without_timing(doc):
    """Drops fields that measure the run (seconds), which differ between runs."""
    if isinstance(doc, dict):
        return {k: without_timing(v) for k, v in doc.items() if k != "seconds"}
    if isinstance(doc, list):
        return [without_timing(v) for v in doc]
    return doc


@pytest.mark.parametrize("args, kwargs", [
    (["zoo:alexnet"], {}),
    (["zoo:resnet50", "--batch", "4", "--convention", "conv-fc", "--alpha", "0.5"],
     dict(batch=4, convention="conv-fc", alpha=0.5)),
    (["tests/data/onnx/resnet18.onnx", "--dtype", "int8"], dict(dtype="int8")),
    (["tests/data/caffe/tiny_net.prototxt", "--input", "3x64x64"], dict(input=(3, 64, 64))),
    (["tests/data/onnx/tiny_decoder.onnx", "--input", "input=1x64"], dict(input={"input": "1x64"})),
    (["zoo:llama-3-8b", "--phase", "decode", "--context", "4096", "--batch", "8", "--kv-type", "fp8"],
     dict(phase="decode", context=4096, batch=8, kv_type="fp8")),
])
def test_analyze_equals_the_cli(cli_json, args, kwargs):
    assert rl.analyze(args[0], **kwargs).to_dict() == cli_json("analyze", *args)


def test_other_commands_equal_the_cli(cli_json):
    assert rl.compare(["zoo:alexnet", "zoo:nin"], sort="di").to_dict() == \
        cli_json("compare", "zoo:alexnet", "zoo:nin", "--sort", "di")
    assert rl.rank(["zoo:alexnet", "zoo:vgg16"], k=0.3).to_dict() == \
        cli_json("rank", "zoo:alexnet", "zoo:vgg16", "--k", "0.3")
    assert rl.roofline("zoo:squeezenet11", hw="v100", dtype="fp16").to_dict() == \
        cli_json("roofline", "zoo:squeezenet11", "--hw", "v100", "--dtype", "fp16")
    assert rl.dataflow("zoo:alexnet", buffer="64KiB", dtype="fp16").to_dict() == \
        cli_json("dataflow", "zoo:alexnet", "--buffer", "64KiB", "--dtype", "fp16")
    correlation = rl.correlate("paper").to_dict()
    cli = cli_json("correlate", "--measurements", "paper", "--points")
    assert correlation == cli
    assert without_timing(rl.map_layers(layer="K=32,C=16,P=8,Q=8,R=3,S=3", arch="simba-like",
                                        budget=3000).to_dict()) == \
        without_timing(cli_json("map", "--layer", "K=32,C=16,P=8,Q=8,R=3,S=3", "--arch",
                                "simba-like", "--search", "--budget", "3000"))


def test_results_read_like_the_json():
    a = rl.analyze("zoo:alexnet")
    assert a.analysis.model == "AlexNet"
    assert round(a.analysis.total.di, 2) == 71.28  # Table 7
    assert a.analysis.layers[0].name == "conv1"
    assert "analysis" in a
    with pytest.raises(AttributeError, match="no field 'nope'"):
        a.nope


def test_graph_builder_by_hand():
    b = rl.GraphBuilder("tiny", (1, 3, 32, 32))
    x = b.input()
    x = b.relu(b.conv(x, 16, kernel=3, pad=1, name="c1"))
    assert b.shape(x) == (1, 16, 32, 32)
    x = b.max_pool(x, kernel=2, stride=2)
    x = b.fc(x, 10, name="head")
    g = b.finish()
    t = rl.analyze(g, convention="conv-fc").analysis.total
    assert t.mc == 16 * 32 * 32 * 3 * 9 + 10 * 16 * 16 * 16
    assert t.w == 16 * 3 * 9 + 16 + 10 * 16 * 16 * 16 + 10
    with pytest.raises(rl.ModelError):
        b2 = rl.GraphBuilder("bad", (1, 3, 4, 4))
        b2.conv(b2.input(), 8, kernel=7)


def test_errors_carry_the_cli_categories(tmp_path):
    with pytest.raises(rl.UnknownModelError) as e:
        rl.analyze("zoo:alexnett")
    assert e.value.exit_code == 6 and "nearest: zoo:alexnet" in str(e.value)
    with pytest.raises(rl.UsageError) as e:
        rl.analyze("zoo:alexnet", batch=-2)
    assert e.value.exit_code == 2
    with pytest.raises(rl.IoError):
        rl.analyze(str(tmp_path / "missing.onnx"))
    with pytest.raises(rl.ParseError):
        rl.analyze(b"not an onnx model")
    bad = tmp_path / "config.json"
    bad.write_text(json.dumps({"architectures": ["LlamaForCausalLM"], "vocab_size": 10}))
    with pytest.raises(rl.ModelError, match="hidden_size"):
        rl.analyze(str(bad))
    assert issubclass(rl.ModelError, rl.Error)


def test_onnx_bytes_equal_the_file():
    path = os.path.join(ROOT, "tests/data/onnx/squeezenet1_1.onnx")
    with open(path, "rb") as f:
        data = f.read()
    assert rl.analyze(data).analysis.total == rl.analyze(path).analysis.total


def test_torch_module_equals_the_fixture_truth():
    torch = pytest.importorskip("torch")
    torchvision = pytest.importorskip("torchvision")
    with open(os.path.join(ROOT, "tests/data/onnx/truth.json")) as f:
        truth = json.load(f)["models"]["resnet18"]
    model = torchvision.models.resnet18(weights=None)
    t = rl.analyze(model, example_input=torch.randn(1, 3, 224, 224),
                   convention="conv-fc").analysis.total
    assert t.mc == truth["conv_fc_macs"]
    # The exporter folds each BatchNorm into its convolution (as the fixture's).
    assert t.w == truth["params"] - truth["bn_folded"]
    with pytest.raises(rl.UsageError):
        rl.analyze(model)


def test_pandas_and_rendering():
    pytest.importorskip("pandas")
    frame = rl.compare(["zoo:alexnet", "zoo:nin", "zoo:vgg16"]).to_pandas()
    assert list(frame["model"]) == ["AlexNet", "NiN", "VGG-16"]
    assert "di" in frame.columns
    layers = rl.analyze("zoo:alexnet").to_pandas()
    assert len(layers) == len(rl.analyze("zoo:alexnet").analysis.layers)
    r = rl.roofline("zoo:mobilenet-v1", hw="h100-sxm", dtype="bf16")
    assert r._repr_svg_().startswith("<svg") or "<svg" in r._repr_svg_()[:200]
    assert "<table>" in r._repr_html_()
    sweep = rl.llm_sweep("zoo:llama-3-8b", "batch=1:64:x2", phase="decode", context=1024)
    assert "<svg" in sweep._repr_svg_()
    assert len(sweep.to_pandas()) == 7
