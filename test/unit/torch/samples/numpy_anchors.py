# Anchor grids as detection code builds them (yhenon/pytorch-retinanet's generate_anchors and
# shift): np.tile, np.repeat, np.append, np.vstack, np.hstack, values and shapes.
import numpy as np

ratios = np.array([0.5, 1, 2])
scales = np.array([2 ** 0, 2 ** (1.0 / 3.0), 2 ** (2.0 / 3.0)])
tiled = 32 * np.tile(scales, (2, len(ratios))).T
repeated = np.repeat(ratios, len(scales))
areas = tiled[:, 0] * tiled[:, 1]
widths = np.sqrt(areas / repeated)

shift_x, shift_y = np.meshgrid((np.arange(0, 3) + 0.5) * 8, (np.arange(0, 2) + 0.5) * 8)
shifts = np.vstack((shift_x.ravel(), shift_y.ravel(), shift_x.ravel(), shift_y.ravel())).transpose()
grid = np.zeros((9, 4)).reshape((1, 9, 4)) + shifts.reshape((1, 6, 4)).transpose((1, 0, 2))
all_anchors = np.append(np.zeros((0, 4)).astype(np.float32), grid.reshape((54, 4)), axis=0)

RESULT = {
    'tile_1d': np.tile(np.array([1, 2, 3]), 2).tolist(),
    'tile_2d': np.tile(np.array([[1, 2], [3, 4]]), (2, 1)).tolist(),
    'tile_promoted': list(np.tile(np.array([1, 2]), (3, 1, 2)).shape),
    'tiled': tiled.tolist(),
    'repeat_flat': np.repeat(np.array([[1, 2], [3, 4]]), 2).tolist(),
    'repeat_axis': np.repeat(np.array([[1, 2], [3, 4]]), [1, 2], axis=0).tolist(),
    'widths': widths.tolist(),
    'append_flat': np.append(np.array([1, 2]), np.array([[3], [4]])).tolist(),
    'shifts': shifts.tolist(),
    'hstack': np.hstack((np.array([1, 2]), np.array([3]))).tolist(),
    'hstack_2d': list(np.hstack((np.zeros((2, 1)), np.ones((2, 3)))).shape),
    'all_anchors': list(all_anchors.shape),
    'expanded': list(np.expand_dims(all_anchors, axis=0).shape),
}
