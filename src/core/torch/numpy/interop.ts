// numpy arrays into torch: torch.from_numpy, torch.tensor and torch.as_tensor keep the array's
// shape, dtype and known values, and give a torch tensor (torch's behaviour, not numpy's);
// Tensor.numpy() the other way.
import type { Interpreter } from '../../interp/interpreter';
import { builtin } from '../../interp/native';
import { PyDtype, Unknown, type Value } from '../../interp/values';
import { Tensor } from '../tensor';
import { NdArray, ndarray } from './ndarray';

function toTorch(t: NdArray, dtype?: Value): Tensor {
  return new Tensor(t.shape, dtype instanceof PyDtype ? dtype : t.dtype, t.data, t.unknownReason);
}

/** Tensor.numpy(): an array of the same shape, dtype and known values, with numpy's behaviour. */
export function toNumpy(t: Tensor): NdArray {
  return t instanceof NdArray ? t : ndarray(t.shape, t.dtype, t.data, t.unknownReason);
}

/** torch.from_numpy. */
export function fromNumpy(it: Interpreter): Value {
  return builtin('torch.from_numpy', (a) => {
    const x = a.positional[0];
    if (x instanceof Unknown) return x; // an array numpy code could not compute: its reason, not a type error
    return x instanceof NdArray ? toTorch(x) : it.raise('TypeError', 'expected np.ndarray');
  });
}

/**
 * torch.tensor / torch.as_tensor: a numpy argument converts as torch converts it; anything else
 * goes to `torchFn`. Without a torch.as_tensor of its own, as_tensor keeps a tensor as it is and
 * builds others as torch.tensor does.
 */
export function acceptingNumpy(name: string, torchFn: Value | undefined, tensorFn: Value, it: Interpreter): Value {
  return builtin(name, (a) => {
    const x = a.positional[0] ?? a.keywords.get('data');
    if (x instanceof NdArray) return toTorch(x, a.keywords.get('dtype') ?? a.positional[1]);
    if (!torchFn && x instanceof Tensor) return x;
    return it.call(torchFn ?? tensorFn, a);
  });
}
