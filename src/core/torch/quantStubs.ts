// The float side of eager-mode quantization, as torchvision's `quantize=False` builders use it:
// QuantStub / DeQuantStub (identities until a model is prepared and converted) and
// FloatFunctional (add / mul / cat that a quantized model later swaps for quantized kernels).
// Written in Python like the nn prelude, and run once on top of it.

export const QUANT_STUBS_FILE = '<torch.ao.quantization>';

export const QUANT_STUBS = String.raw`
class QuantStub(Module):
    def __init__(self, qconfig=None):
        super().__init__()
        if qconfig:
            self.qconfig = qconfig

    def forward(self, x):
        return x


class DeQuantStub(Module):
    def __init__(self, qconfig=None):
        super().__init__()
        if qconfig:
            self.qconfig = qconfig

    def forward(self, x):
        return x


class FloatFunctional(Module):
    def __init__(self):
        super().__init__()
        self.activation_post_process = Identity()

    def forward(self, x):
        raise RuntimeError("FloatFunctional is not intended to use the 'forward'. Please use the underlying operation")

    def add(self, x, y):
        return self.activation_post_process(torch.add(x, y))

    def add_scalar(self, x, y):
        return torch.add(x, y)

    def mul(self, x, y):
        return self.activation_post_process(torch.mul(x, y))

    def mul_scalar(self, x, y):
        return torch.mul(x, y)

    def cat(self, x, dim=0):
        return self.activation_post_process(torch.cat(x, dim=dim))

    def add_relu(self, x, y):
        return self.activation_post_process(F.relu(torch.add(x, y)))

    def matmul(self, x, y):
        return self.activation_post_process(torch.matmul(x, y))
`;

/** Names the stubs define, and the torch modules that export them. */
export const QUANT_STUB_HOMES: Record<string, string[]> = {
  'torch.ao.quantization': ['QuantStub', 'DeQuantStub'],
  'torch.quantization': ['QuantStub', 'DeQuantStub'],
  'torch.ao.nn.quantized': ['FloatFunctional'],
  'torch.nn.quantized': ['FloatFunctional'],
};
