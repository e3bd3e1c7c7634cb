// torch.* helpers model code calls while constructing that compute no tensor: state queries
// (autocast, grad mode, RNG), dtype predicates. Static analysis runs on the CPU, in float32,
// without autocast and with gradients on.
import type { Interpreter } from '../interp/interpreter';
import { builtin } from '../interp/native';
import { PyDtype, type Value } from '../interp/values';
import { DTYPES, Tensor } from './tensor';

const isComplex = (v: Value | undefined) => v instanceof Tensor && v.dtype.name.startsWith('complex');

export function TORCH_HELPERS(it: Interpreter): Record<string, Value> {
  const constant = (name: string, v: Value) => builtin(name, () => v);
  return {
    is_complex: builtin('is_complex', (a) => isComplex(a.positional[0])),
    is_autocast_enabled: constant('is_autocast_enabled', false),
    is_autocast_cpu_enabled: constant('is_autocast_cpu_enabled', false),
    get_autocast_gpu_dtype: constant('get_autocast_gpu_dtype', DTYPES.float16),
    get_autocast_cpu_dtype: constant('get_autocast_cpu_dtype', DTYPES.bfloat16),
    is_autocast_cache_enabled: constant('is_autocast_cache_enabled', true),
    is_grad_enabled: constant('is_grad_enabled', true),
    is_inference_mode_enabled: constant('is_inference_mode_enabled', false),
    get_rng_state: builtin('get_rng_state', () => new Tensor([5056], DTYPES.uint8)),
    set_rng_state: constant('set_rng_state', null),
    seed: builtin('seed', () => it.unknown('torch.seed() is random')),
    initial_seed: builtin('initial_seed', () => it.unknown('the RNG seed is not known statically')),
    use_deterministic_algorithms: constant('use_deterministic_algorithms', null),
    are_deterministic_algorithms_enabled: constant('are_deterministic_algorithms_enabled', false),
    set_num_threads: constant('set_num_threads', null),
    get_num_threads: builtin('get_num_threads', () => it.unknown('the number of threads depends on the machine')),
    promote_types: builtin('promote_types', (a) => {
      const [x, y] = a.positional;
      if (!(x instanceof PyDtype) || !(y instanceof PyDtype)) return it.unknown('promote_types of non-dtypes');
      if (x.isFloat !== y.isFloat) return x.isFloat ? x : y;
      return x.bytes >= y.bytes ? x : y;
    }),
  };
}
