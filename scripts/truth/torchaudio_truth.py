"""Truth for torchaudio model classes and builders that run on CPU with small inputs.

Each case is data: the exact constructor call (as the engine's CLI takes it with --model) and
the inputs (--input, one shape per forward argument; 'lengths' and 'tokens' are int64 tensors
whose values are recorded because they steer the computation).
"""
import inspect
import os
import time
from typing import Any, Dict, List, Tuple

import torch
import torchaudio
import torchaudio.models as ta_models

from record import class_files, input_spec, model_record, sha256_of
from torch_macs import profile

TORCHAUDIO_DIR = os.path.dirname(torchaudio.__file__)

# (constructor call, [(shape, kind, values or None)], why these inputs)
Input = Tuple[Tuple[int, ...], str, Any]
CASES: List[Tuple[str, List[Input], str]] = [
    ('Conformer(input_dim=80, num_heads=4, ffn_dim=128, num_layers=4, depthwise_conv_kernel_size=31)',
     [((1, 100, 80), 'float', None), ((1,), 'lengths', [100])],
     '100 frames of 80 log-mel features, all valid'),
    ('Emformer(input_dim=128, num_heads=4, ffn_dim=256, num_layers=4, segment_length=16, right_context_length=4)',
     [((1, 68, 128), 'float', None), ((1,), 'lengths', [68])],
     '64 utterance frames + 4 right-context frames (forward wants T + right_context_length)'),
    ('Wav2Letter(num_classes=40, input_type="waveform", num_features=1)',
     [((1, 1, 16000), 'float', None)],
     'one second of 16 kHz audio'),
    ('DeepSpeech(n_feature=80, n_hidden=2048, n_class=40)',
     [((1, 1, 100, 80), 'float', None)],
     '100 frames of 80 features (batch, channel, time, feature)'),
    ('conv_tasnet_base(num_sources=2)',
     [((1, 1, 8000), 'float', None)],
     'half a second of 16 kHz audio'),
    ('WaveRNN(upsample_scales=[5, 5, 8], n_classes=256, hop_length=200)',
     [((1, 1, 400), 'float', None), ((1, 1, 128, 6), 'float', None)],
     'specgram of 6 frames; waveform length (6 - kernel_size + 1) * hop_length = 400'),
    ('wav2vec2_base()',
     [((1, 8000), 'float', None)],
     'half a second of 16 kHz audio, no lengths'),
    ('hubert_base()',
     [((1, 8000), 'float', None)],
     'half a second of 16 kHz audio, no lengths'),
    ('Tacotron2()',
     [((1, 20), 'tokens', None), ((1,), 'lengths', [20]), ((1, 80, 50), 'float', None), ((1,), 'lengths', [50])],
     'teacher-forced: 20 symbol tokens (ids 0..147), 50 target mel frames'),
]


def _tensor(shape: Tuple[int, ...], kind: str, values: Any) -> torch.Tensor:
    if kind == 'float':
        return torch.randn(*shape)
    if kind == 'lengths':
        return torch.tensor(values, dtype=torch.int64)
    if kind == 'tokens':
        return torch.randint(0, 148, shape, dtype=torch.int64)
    raise ValueError(kind)


def _source(model: torch.nn.Module) -> Tuple[str, str]:
    path = inspect.getsourcefile(type(model))
    return os.path.relpath(path, TORCHAUDIO_DIR).replace(os.sep, '/'), sha256_of(path)


def case_truth(entry: str, inputs: List[Input], basis: str) -> Dict[str, Any]:
    torch.manual_seed(0)
    model = eval(entry, dict(vars(ta_models)))  # entries are the constants above, not user input
    tensors = [_tensor(*spec) for spec in inputs]
    result = profile(model, tuple(tensors))
    source, digest = _source(model)
    specs = [input_spec(t, kind, values) for t, (_, kind, values) in zip(tensors, inputs)]
    notes = [f'UNCOUNTED matmul-like ops seen: {result.uncounted_ops}'] if result.uncounted_ops else []
    return model_record(name=entry.split('(')[0], entry=entry, source=source, source_sha256=digest,
                        model=model, profile=result, inputs=specs, input_basis=basis, execution='cpu',
                        notes=notes, extra={'class': type(model).__name__},
                        source_files=sorted(set([source] + class_files(model, TORCHAUDIO_DIR))))


def records(log=print) -> List[Dict[str, Any]]:
    found = []
    for entry, inputs, basis in CASES:
        started = time.time()
        record = case_truth(entry, inputs, basis)
        found.append(record)
        log(f'  {entry[:64]:64s} {record["macs"] / 1e9:8.4f} GMACs {record["uniqueParams"]:>11,} params '
            f'{time.time() - started:5.1f}s')
    return found
