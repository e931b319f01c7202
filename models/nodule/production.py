"""The committed production `nodule` model (models/nodule/model.onnx) as a torch module, so the
training script can score it on the held-out patches without onnxruntime in Python.

The export folded each BatchNorm into its convolution, so the graph is Conv(+bias) / Relu / MaxPool
/ Flatten / Gemm / Softmax; this rebuilds exactly that sequence from the graph and its initializers
and refuses any other operator."""
import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper


def _attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def load_onnx_as_torch(path: str) -> nn.Module:
    g = onnx.load(path).graph
    init = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    layers = []
    for node in g.node:
        op = node.op_type
        if op == "Conv":
            w = init[node.input[1]]
            b = init[node.input[2]] if len(node.input) > 2 else None
            pads = _attr(node, "pads", [0] * 6)
            if list(pads[:3]) != list(pads[3:]) or len(set(pads[:3])) != 1:
                raise ValueError(f"asymmetric padding {pads}")
            conv = nn.Conv3d(w.shape[1], w.shape[0], w.shape[2:], padding=int(pads[0]), bias=b is not None)
            conv.weight.data = torch.from_numpy(w.copy())
            if b is not None:
                conv.bias.data = torch.from_numpy(b.copy())
            layers.append(conv)
        elif op == "Relu":
            layers.append(nn.ReLU())
        elif op == "MaxPool":
            layers.append(nn.MaxPool3d(tuple(_attr(node, "kernel_shape")), tuple(_attr(node, "strides"))))
        elif op == "Flatten":
            layers.append(nn.Flatten())
        elif op == "Gemm":
            w = init[node.input[1]]
            if _attr(node, "transB", 0) != 1:
                w = w.T
            lin = nn.Linear(w.shape[1], w.shape[0])
            lin.weight.data = torch.from_numpy(np.array(w, dtype=np.float32))
            lin.bias.data = torch.from_numpy(init[node.input[2]].copy())
            layers.append(lin)
        elif op == "Softmax":
            layers.append(nn.Softmax(dim=_attr(node, "axis", -1)))
        else:
            raise ValueError(f"unsupported operator {op} in {path}")
    return nn.Sequential(*layers).eval()
