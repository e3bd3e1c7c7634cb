"""Cases for the single-file GPTs under test/fixtures/models/third_party (nanoGPT, minGPT).

nanoGPT picks its attention path at construction: F.scaled_dot_product_attention where torch
has it (>= 2.0), else the manual q@k^T / softmax / @v path with a causal-mask buffer. Both
count the same MACs in this convention; the path that ran is recorded.
"""
from typing import Any, Dict, List

from file_models import run_cases

THIRD = 'test/fixtures/models/third_party/'
TOKENS_64 = [((1, 64), 'tokens', None)]


def nanogpt_extra(model, namespace) -> Dict[str, Any]:
    return {
        'attentionPath': 'F.scaled_dot_product_attention' if model.transformer.h[0].attn.flash
        else 'manual (q @ k^T, masked softmax, @ v)',
        'nanogptReportedParams': model.get_num_params(),  # what nanoGPT prints: minus position embeddings
        'tiedParams': ['transformer.wte.weight', 'lm_head.weight'],
    }


def mingpt_extra(model, namespace) -> Dict[str, Any]:
    return {'attentionPath': 'manual (q @ k^T, masked softmax, @ v)'}


NANO_NOTE = 'forward without targets runs lm_head on the last position only (x[:, [-1], :]): outputShape [1, 1, vocab]'
CASES: List[Dict[str, Any]] = [
    dict(path=THIRD + 'nanogpt_model.py', entry='GPT(GPTConfig())', inputs=TOKENS_64,
         basis='64 token ids; GPTConfig defaults (vocab_size 50304 = 50257 padded to a multiple of 64)',
         extra=nanogpt_extra, notes=[NANO_NOTE]),
    dict(path=THIRD + 'nanogpt_model.py', entry='GPT(GPTConfig(vocab_size=50257))', inputs=TOKENS_64,
         basis='64 token ids; the GPT-2 small checkpoint shape (124,439,808 unique params published)',
         extra=nanogpt_extra, notes=[NANO_NOTE]),
    dict(path=THIRD + 'nanogpt_model.py',
         entry='GPT(GPTConfig(n_layer=2, n_head=4, n_embd=128, block_size=64, vocab_size=1000))',
         inputs=TOKENS_64, basis='64 token ids = block_size', extra=nanogpt_extra, notes=[NANO_NOTE]),
    dict(path=THIRD + 'mingpt_model.py', entry='GPT(GPT1Config(vocab_size=50257, block_size=1024))',
         inputs=TOKENS_64, basis='64 token ids; GPT-1-sized config', extra=mingpt_extra,
         notes=['head runs on every position: outputShape [1, 64, vocab]']),
    dict(path=THIRD + 'mingpt_model.py', entry='GPT(GPTConfig(1000, 64, n_layer=2, n_head=4, n_embd=128))',
         inputs=TOKENS_64, basis='64 token ids = block_size', extra=mingpt_extra),
]


def records(log=print) -> List[Dict[str, Any]]:
    return run_cases(CASES, log)
