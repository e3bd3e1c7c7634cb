// One evaluated Python file: its dotted name, its path and its global scope.
import type { Scope } from './scope';
import type { PyModule } from './values';

export interface ModuleContext {
  /** Dotted module name, e.g. "torchvision.models.resnet", or "__main__" for the analyzed file. */
  name: string;
  /** Dotted package used for relative imports ("torchvision.models"). */
  packageName: string;
  /** Absolute path, or a label such as "<cli>" for text without a file. */
  file: string;
  scope: Scope;
  module: PyModule;
}
