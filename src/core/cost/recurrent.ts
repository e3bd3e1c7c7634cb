// Recurrent layers (LSTM 4 gates, GRU 3, plain RNN 1): one layer's cost over a sequence.
import { symAdd, symMul, symProduct, type SymNum } from '../interp/symbolic';
import { fmt, fmtProduct } from './dims';
import type { LayerCost } from './types';

export interface RecurrentLayer {
  gates: number;
  hidden: SymNum;
  input: SymNum;
  steps: SymNum;
  batch: SymNum;
  directions?: number;
  /** LSTM proj_size: the state fed back is proj wide, projected from hidden (0: none). */
  proj?: SymNum;
}

/**
 * One recurrent layer: MACs = T·B·dirs·(gates·H·(in + H′) + proj·H), H′ = proj or H; elementwise
 * T·B·dirs·3·gates·H (gate activations and the state update).
 */
export function recurrent(r: RecurrentLayer): LayerCost {
  const dirs = r.directions ?? 1;
  const proj = r.proj ?? 0;
  const fed = proj === 0 ? r.hidden : proj;
  let perStep = symProduct([r.gates, r.hidden, symAdd(r.input, fed)]);
  if (proj !== 0) perStep = symAdd(perStep, symMul(proj, r.hidden));
  return {
    macs: symProduct([perStep, r.steps, r.batch, dirs]),
    elementwise: symProduct([r.steps, r.batch, dirs, r.hidden, r.gates * 3]),
    formula: `MACs = T·B·dirs·gates·H·(in + H) = ${fmtProduct([r.steps, r.batch, dirs, r.gates, r.hidden])}·(${fmt(r.input)} + ${fmt(fed)})`,
  };
}
