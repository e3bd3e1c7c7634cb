// torch.cuda's legacy tensor types (torch.cuda.FloatTensor, …). Model code tests tensors
// against them to decide whether to move a new tensor to the GPU (3D-ResNets' shortcut A:
// `isinstance(out.data, torch.cuda.FloatTensor)`). The analysis runs as torch does on a machine
// without CUDA (torch.cuda.is_available() is False): no tensor is one, and none can be made.
import type { Interpreter } from '../interp/interpreter';
import { nativeClass } from '../interp/native';
import type { Value } from '../interp/values';

const CUDA_TENSOR_TYPES = [
  'FloatTensor',
  'DoubleTensor',
  'HalfTensor',
  'BFloat16Tensor',
  'LongTensor',
  'IntTensor',
  'ShortTensor',
  'CharTensor',
  'ByteTensor',
  'BoolTensor',
];

export function cudaTensorTypes(it: Interpreter): Record<string, Value> {
  return Object.fromEntries(
    CUDA_TENSOR_TYPES.map((name) => [
      name,
      nativeClass(name, [it.classes.object], {
        methods: {
          __instancecheck__: () => false,
          __init__: () => it.raise('RuntimeError', `type torch.cuda.${name} not available: the analysis runs without CUDA`),
        },
      }),
    ]),
  );
}
