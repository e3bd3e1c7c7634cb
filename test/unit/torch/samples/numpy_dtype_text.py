# A numpy array's dtype as text and in comparisons (str, repr, f-strings, ==), beside torch's.
import numpy as np
import torch

a = np.zeros(3)
b = np.arange(4, dtype=np.int32)
c = np.ones((2, 2), dtype=np.float32)
t = torch.zeros(2)

RESULT = {
    'str': str(a.dtype),
    'repr': repr(a.dtype),
    'fstring': f'{b.dtype}',
    'format': '{}'.format(c.dtype),
    'in_list': str([a.dtype, b.dtype]),
    'eq_type': a.dtype == np.float64,
    'ne_type': a.dtype != np.float32,
    'eq_name': c.dtype == 'float32',
    'eq_arrays': c.dtype == np.zeros(1, dtype=np.float32).dtype,
    'in_tuple': b.dtype in (np.int32, np.int64),
    'astype_same': str(a.astype(c.dtype).dtype),
    'zeros_like_dtype': repr(np.zeros(2, dtype=b.dtype).dtype),
    'torch_str': str(t.dtype),
    'torch_repr': repr(torch.float16),
    'torch_from_numpy': str(torch.from_numpy(c).dtype),
}
