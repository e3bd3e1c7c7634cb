"""Cases for the hand-written fixtures under test/fixtures/models/own (models as users write them)."""
from typing import Any, Dict, List

from file_models import run_cases, syntax_error

OWN = 'test/fixtures/models/own/'

CASES: List[Dict[str, Any]] = [
    dict(path=OWN + 'mlp_config.py', entry='MLP(MLPConfig())', inputs=[((1, 784), 'float', None)],
         basis='one flattened 28x28 image'),
    dict(path=OWN + 'cifar_cnn.py', entry='CifarCNN()', inputs=[((1, 3, 32, 32), 'float', None)],
         basis='the file\'s `# wattlens: input=1x3x32x32` comment above the class'),
    dict(path=OWN + 'causal_transformer.py', entry='TinyTransformer()', inputs=[((1, 64), 'tokens', None)],
         basis='64 token ids = block_size'),
    dict(path=OWN + 'lstm_tagger.py',
         entry='LSTMTagger(embedding_dim=32, hidden_dim=64, vocab_size=5000, tagset_size=17)',
         inputs=[((1, 12), 'tokens', None)], basis='one sentence of 12 word ids (batch_first)'),
    dict(path=OWN + 'containers.py', entry='MultiHeadNet()', inputs=[((1, 3, 64, 64), 'float', None)],
         basis='one 64x64 RGB image'),
    dict(path=OWN + 'tied_and_buffers.py', entry='TiedLM()', inputs=[((1, 32), 'tokens', None)],
         basis='32 token ids',
         notes=['decoder.weight is embed.weight: params (per layer) counts it twice, uniqueParams once',
                'mix is called twice per forward: calls 2, MACs summed over both calls',
                'scale has requires_grad=False: trainableParams excludes it']),
    dict(path=OWN + 'syntax_error_mixed.py', entry='StillFine()', inputs=[((1, 20), 'float', None)],
         basis='20 features', start_at_class='StillFine',
         extra=lambda model, ns: {'fileSyntaxError': syntax_error(OWN + 'syntax_error_mixed.py'),
                                  'brokenClass': 'Broken'},
         notes=['the file does not parse (class Broken); truth comes from executing only class StillFine']),
]


def records(log=print) -> List[Dict[str, Any]]:
    return run_cases(CASES, log)
