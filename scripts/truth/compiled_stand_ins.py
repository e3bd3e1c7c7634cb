"""Stand-ins for the compiled cores of libraries in the corpus venv.

The corpus ships libraries as their Python source only. safetensors' Python package imports
its Rust core (`safetensors._safetensors_rust`), which transformers needs at import time but
never calls while a model is built: the truth registers a module with the same names whose
functions refuse to run, so a figure can never come from it.

The same holds for compiled libraries that research code imports at its top level but only uses
outside model building, when the truth's Python lacks them: numba (whisper's word timing jits a
function at import), tiktoken (whisper's tokenizer), scipy.optimize (DETR's Hungarian matcher, a
training loss), scipy.signal and scipy.io (WaveRNN's dsp.py imports `scipy.signal.lfilter` for
pre-emphasis, BigVGAN's meldataset.py `scipy.io.wavfile`), scipy.interpolate (RAFT's warm start
between video frames, `forward_interpolate`), sklearn.metrics (3D-ResNets' utils.py, which its ResNeXt imports for a class
helper, scores predictions with it). A stand-in is registered only where the real library is
absent; its functions raise, and numba's `jit` returns functions that raise when called.

matplotlib (hifi-gan's utils.py, which its models import for `init_weights`, selects the Agg
backend and imports pylab for spectrogram plots; WaveRNN's display.py imports pyplot): `matplotlib.use`
does nothing, pylab's and pyplot's functions refuse to run.

VITS's monotonic alignment (`monotonic_align/__init__.py` imports `maximum_path_c` from
`.monotonic_align.core`, a Cython extension the repository ships as `core.pyx` and its users build
with setup.py): not built here, so its function refuses to run; the models that do not align build.

dora-search (Demucs' states.py imports `dora.log.fatal` to report a missing diffq when a quantized
model is loaded): `fatal` raises.

omegaconf (Stable Diffusion's UNetModel imports `ListConfig` only to test `type(context_dim) ==
ListConfig`): its container classes are fresh classes nothing is an instance of, which is what the
test gives for the plain ints and lists a model is built with; making one, or any OmegaConf
function, raises.

tqdm, munch and imgaug (segmentation_models_pytorch's dataset subclasses `tqdm` at import;
pretrainedmodels' utils import `munchify` for image transforms; PyTorch-YOLOv3's utils import tqdm
and imgaug for training): pure-Python libraries the corpus environment lacks and model building never
uses; `tqdm` is a class to subclass whose use raises, `munchify` and `imgaug.seed` raise. OpenCV,
loguru and packaging (YOLOX's utils, which its models import, draw images, log and compare
versions with them): every function raises, loguru's logger is an object whose methods raise.

librosa (MelGAN's modules.py imports `librosa.filters.mel` for its Audio2Mel front end, which the
generator and discriminator do not use; WaveRNN's dsp.py and BigVGAN's meldataset.py import it for
audio I/O and mel features): making a mel filter bank, normalizing, or any other use, raises.
"""
import importlib.machinery
import importlib.util
import sys
import types


def install() -> None:
    if 'safetensors._safetensors_rust' in sys.modules:
        return
    core = types.ModuleType('safetensors._safetensors_rust')

    class SafetensorError(Exception):
        pass

    def absent(*_args, **_kwargs):
        raise RuntimeError('the compiled safetensors core is not part of the corpus')

    core.SafetensorError = SafetensorError
    core.__version__ = '0.4.3'
    for name in ('deserialize', 'safe_open', 'serialize', 'serialize_file'):
        setattr(core, name, absent)
    sys.modules[core.__name__] = core


def _stand_in_module(name: str) -> types.ModuleType:
    """A module with a spec, as an imported one has: `importlib.util.find_spec` raises on a module
    in sys.modules whose __spec__ is None (transformers probes scipy that way at import)."""
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    return module


def _refuse(library: str):
    def absent(*_args, **_kwargs):
        raise RuntimeError(f'{library} is not installed for the truth: a stand-in that refuses to run')
    return absent


def _jit(*args, **_kwargs):
    """numba.jit / njit as decorator, bare or with options: the decorated function refuses to run."""
    if len(args) == 1 and callable(args[0]):
        return _refuse('numba')
    return lambda _function: _refuse('numba')


def install_absent_libraries() -> None:
    """Stand-ins for numba, tiktoken, scipy.optimize, scipy.interpolate, scipy.signal and scipy.io,
    sklearn.metrics, matplotlib, VITS's monotonic_align core, omegaconf, triton, tqdm, librosa, dora,
    munch, cv2, loguru, packaging, imgaug, selective_scan_cuda and MinkowskiEngine, each only where the
    real one is absent."""
    if importlib.util.find_spec('numba') is None and 'numba' not in sys.modules:
        numba = _stand_in_module('numba')
        numba.jit = numba.njit = _jit
        sys.modules['numba'] = numba
    if importlib.util.find_spec('tiktoken') is None and 'tiktoken' not in sys.modules:
        tiktoken = _stand_in_module('tiktoken')
        tiktoken.Encoding = type('Encoding', (), {'__init__': _refuse('tiktoken')})
        tiktoken.get_encoding = _refuse('tiktoken')
        sys.modules['tiktoken'] = tiktoken
    if importlib.util.find_spec('scipy') is None and 'scipy' not in sys.modules:
        scipy = _stand_in_module('scipy')
        optimize = _stand_in_module('scipy.optimize')
        optimize.linear_sum_assignment = _refuse('scipy')
        interpolate = _stand_in_module('scipy.interpolate')
        interpolate.griddata = _refuse('scipy')
        scipy.optimize = optimize
        scipy.interpolate = interpolate
        signal = _stand_in_module('scipy.signal')
        signal.lfilter = _refuse('scipy')
        scipy.signal = signal
        io = _stand_in_module('scipy.io')
        wavfile = _stand_in_module('scipy.io.wavfile')
        wavfile.read = wavfile.write = _refuse('scipy')
        io.wavfile = wavfile
        scipy.io = io
        sys.modules['scipy'] = scipy
        sys.modules['scipy.optimize'] = optimize
        sys.modules['scipy.interpolate'] = interpolate
        sys.modules['scipy.signal'] = signal
        sys.modules['scipy.io'] = io
        sys.modules['scipy.io.wavfile'] = wavfile
    if importlib.util.find_spec('sklearn') is None and 'sklearn' not in sys.modules:
        sklearn = _stand_in_module('sklearn')
        metrics = _stand_in_module('sklearn.metrics')
        metrics.precision_recall_fscore_support = _refuse('scikit-learn')
        sklearn.metrics = metrics
        sys.modules['sklearn'] = sklearn
        sys.modules['sklearn.metrics'] = metrics
    if importlib.util.find_spec('matplotlib') is None and 'matplotlib' not in sys.modules:
        matplotlib = _stand_in_module('matplotlib')
        matplotlib.use = lambda *_args, **_kwargs: None
        pylab = _stand_in_module('matplotlib.pylab')
        pylab.__getattr__ = lambda _name: _refuse('matplotlib')
        matplotlib.pylab = pylab
        pyplot = _stand_in_module('matplotlib.pyplot')
        pyplot.__getattr__ = lambda _name: _refuse('matplotlib')
        matplotlib.pyplot = pyplot
        sys.modules['matplotlib'] = matplotlib
        sys.modules['matplotlib.pylab'] = pylab
        sys.modules['matplotlib.pyplot'] = pyplot
    if 'monotonic_align.monotonic_align.core' not in sys.modules:  # VITS's Cython core, never built here
        package = _stand_in_module('monotonic_align.monotonic_align')
        core = _stand_in_module('monotonic_align.monotonic_align.core')
        core.maximum_path_c = _refuse('the compiled monotonic_align core')
        package.core = core
        sys.modules[package.__name__] = package
        sys.modules[core.__name__] = core
    if importlib.util.find_spec('omegaconf') is None and 'omegaconf' not in sys.modules:
        _install_omegaconf()
    if importlib.util.find_spec('triton') is None and 'triton' not in sys.modules:
        _install_triton()
    if importlib.util.find_spec('tqdm') is None and 'tqdm' not in sys.modules:
        tqdm = _stand_in_module('tqdm')
        tqdm.tqdm = type('tqdm', (), {'__init__': _refuse('tqdm')})
        sys.modules['tqdm'] = tqdm
    if importlib.util.find_spec('librosa') is None and 'librosa' not in sys.modules:
        librosa = _stand_in_module('librosa')
        filters = _stand_in_module('librosa.filters')
        filters.mel = _refuse('librosa')
        librosa.filters = filters
        util = _stand_in_module('librosa.util')
        util.normalize = _refuse('librosa')
        librosa.util = util
        sys.modules['librosa'] = librosa
        sys.modules['librosa.filters'] = filters
        sys.modules['librosa.util'] = util
    if importlib.util.find_spec('dora') is None and 'dora' not in sys.modules:
        dora = _stand_in_module('dora')  # dora-search, Demucs' experiment manager
        log = _stand_in_module('dora.log')
        log.fatal = _refuse('dora')
        dora.log = log
        sys.modules['dora'] = dora
        sys.modules['dora.log'] = log
    if importlib.util.find_spec('munch') is None and 'munch' not in sys.modules:
        munch = _stand_in_module('munch')
        munch.munchify = _refuse('munch')
        sys.modules['munch'] = munch
    if importlib.util.find_spec('cv2') is None and 'cv2' not in sys.modules:
        cv2 = _stand_in_module('cv2')  # OpenCV: YOLOX's utils draw and read images with it
        cv2.__getattr__ = lambda _name: _refuse('OpenCV')
        sys.modules['cv2'] = cv2
    if importlib.util.find_spec('loguru') is None and 'loguru' not in sys.modules:
        loguru = _stand_in_module('loguru')  # YOLOX logs with loguru's logger: a logger whose calls refuse
        loguru.logger = type('Logger', (), {'__getattr__': lambda _self, _name: _refuse('loguru')})()
        sys.modules['loguru'] = loguru
    if importlib.util.find_spec('packaging') is None and 'packaging' not in sys.modules:
        packaging = _stand_in_module('packaging')  # YOLOX's MLflow logger compares versions with it
        version = _stand_in_module('packaging.version')
        version.parse = version.Version = _refuse('packaging')
        packaging.version = version
        sys.modules['packaging'] = packaging
        sys.modules['packaging.version'] = version
    if importlib.util.find_spec('imgaug') is None and 'imgaug' not in sys.modules:
        imgaug = _stand_in_module('imgaug')  # PyTorch-YOLOv3's utils seed it for training augmentation
        imgaug.seed = _refuse('imgaug')
        sys.modules['imgaug'] = imgaug
    if importlib.util.find_spec('selective_scan_cuda') is None and 'selective_scan_cuda' not in sys.modules:
        scan = _stand_in_module('selective_scan_cuda')  # mamba_ssm's compiled CUDA scan
        scan.fwd = scan.bwd = _refuse('selective_scan_cuda')
        sys.modules['selective_scan_cuda'] = scan
    if importlib.util.find_spec('MinkowskiEngine') is None and 'MinkowskiEngine' not in sys.modules:
        minkowski = _stand_in_module('MinkowskiEngine')  # ConvNeXt-V2's sparse layers (its dense model needs none)
        minkowski.SparseTensor = type('SparseTensor', (), {'__init__': _refuse('MinkowskiEngine')})
        sys.modules['MinkowskiEngine'] = minkowski


class _TritonAnything:
    """Whatever triton's module level asks for (`triton.Config(...)`, `tl.constexpr` annotations,
    `@triton.autotune(...)` / `@triton.jit` decorators): a placeholder; a kernel launch
    (`kernel[grid](...)`) or a call of a decorated kernel refuses to run."""

    def __getattr__(self, _name):
        return _TritonAnything()

    def _compare(self, _other):
        raise RuntimeError('triton is not installed for the truth: a stand-in that refuses to run')

    __lt__ = __le__ = __gt__ = __ge__ = _compare

    def __call__(self, *args, **_kwargs):
        if len(args) == 1 and callable(args[0]) and not isinstance(args[0], _TritonAnything):
            return _TritonKernel()  # a decorator applied to a kernel function
        return _TritonAnything()


class _TritonKernel:
    def __getitem__(self, _grid):
        return _refuse('triton')

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and isinstance(args[0], _TritonKernel) and not kwargs:
            return args[0]  # a second decorator on a kernel
        return _refuse('triton')(*args, **kwargs)


def _install_triton() -> None:
    for name in ('triton', 'triton.language'):
        module = _stand_in_module(name)
        module.__getattr__ = lambda _name: _TritonAnything()  # PEP 562: every attribute
        sys.modules[name] = module
    sys.modules['triton'].language = sys.modules['triton.language']


def _install_omegaconf() -> None:
    omegaconf = _stand_in_module('omegaconf')
    for module_name, class_name in (('listconfig', 'ListConfig'), ('dictconfig', 'DictConfig')):
        container = type(class_name, (), {'__init__': _refuse('omegaconf')})
        submodule = _stand_in_module(f'omegaconf.{module_name}')
        setattr(submodule, class_name, container)
        setattr(omegaconf, class_name, container)
        setattr(omegaconf, module_name, submodule)
        sys.modules[submodule.__name__] = submodule
    omegaconf.OmegaConf = type('OmegaConf', (), {name: staticmethod(_refuse('omegaconf'))
                                                 for name in ('create', 'load', 'merge', 'to_container')})
    sys.modules['omegaconf'] = omegaconf
