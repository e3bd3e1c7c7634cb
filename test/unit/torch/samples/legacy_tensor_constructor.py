# torch.Tensor(...) as code still calls it: a list or tuple is data (float32; palm_lite's ALiBi
# slopes: torch.Tensor(self._get_slopes(heads))), ints or a torch.Size are sizes
import torch

slopes = torch.Tensor([0.5, 0.25, 0.125, 0.0625])
RESULT = {
    "list_shape": tuple(slopes.shape),
    "list_dtype": slopes.dtype == torch.float32,
    "list_values": slopes.tolist(),
    "tuple_shape": tuple(torch.Tensor((2, 3)).shape),
    "bool_values": torch.Tensor([True]).tolist(),
    "sizes": tuple(torch.Tensor(2, 3).shape),
    "size_object": tuple(torch.Tensor(torch.Size([4, 5])).shape),
    "nested": tuple(torch.Tensor([[1, 2, 3], [4, 5, 6]]).shape),
}
