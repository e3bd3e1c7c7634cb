// What an nn.Module instance keeps beyond its instance dict, as torch.nn.Module does in
// _modules / _parameters / _buffers. The language core (src/core/interp) knows nothing of it:
// the field is added to PyInstance here, and moduleAttrs.ts fills it through the
// interpreter's attribute hooks.
import type { PyDict, Value } from '../interp/values';

/** State an nn.Module instance keeps, as torch.nn.Module does in _modules/_parameters/_buffers. */
export interface ModuleState {
  /** Live dicts, also visible to Python as self._modules / _parameters / _buffers. */
  modules: PyDict;
  parameters: PyDict;
  buffers: PyDict;
  /** The construction call stack: where this module was built (outermost first). */
  sites: { file: string; line: number }[];
  /** Catalogue layer data: the constructor arguments as bound. */
  layerArgs?: Map<string, Value>;
  /** Attributes set to values nobody could know (perhaps submodules): name → reason. */
  unknownAttrs?: Map<string, string>;
  /** Where each unknown attribute's value came from (1-based line), when known. */
  unknownAttrSites?: Map<string, { file?: string; line?: number }>;
}

declare module '../interp/values' {
  interface PyInstance {
    /** Set on nn.Module instances (by Module's create hook), absent on every other instance. */
    module?: ModuleState;
  }
}
