# a tensor handed to numpy and back (VITS's monotonic alignment: x.data.cpu().numpy().astype(np.float32),
# np.zeros of its shape, torch.from_numpy): Tensor.numpy() is an ndarray with numpy's behaviour
import numpy as np
import torch

x = torch.zeros(2, 3, 5)
a = x.data.cpu().numpy().astype(np.float32)
lengths = torch.ones(2, 5, 3).sum(1)[:, 0].data.cpu().numpy().astype(np.int32)
path = np.zeros(a.shape, dtype=np.int32)
back = torch.from_numpy(path).to(dtype=torch.float32)
RESULT = {
    "dtype": a.dtype == np.float32,
    "shape": a.shape,
    "size": a.size,
    "transposed": a.T.shape,
    "lengths": lengths.shape,
    "lengths_dtype": lengths.dtype == np.int32,
    "back": (tuple(back.shape), back.dtype == torch.float32),
}
