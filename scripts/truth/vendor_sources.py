"""Copy the torchvision / torchaudio source files that truth records name into the test fixtures.

The engine-vs-truth tests then parse exactly the code the truth was measured on, on machines
without Python packages and whatever torchvision version a CI image ships. Files are copied
byte for byte (sha256 equal to the record's sourceSha256) under
test/fixtures/models/third_party/<package>-<version>/<package>/, next to the package's licence,
with the helper modules the model files import and an empty __init__.py in every package folder,
so relative and absolute imports between the files resolve as they do in the installed package.
"""
import json
import os
import shutil
from typing import Iterable, List

from record import REPO_ROOT

THIRD_PARTY = 'test/fixtures/models/third_party'
# Modules the model files import besides each other (weights enums, _make_divisible, _ovewrite_named_param;
# the package's own __init__.py for torchvision._is_tracing, extension.py for _assert_has_ops)
SUPPORT_FILES = {
    'torchvision': ['models/_api.py', 'models/_utils.py', 'models/_meta.py', 'utils.py', '_utils.py', '_internally_replaced_utils.py',
                    'ops/__init__.py', '__init__.py', 'extension.py'],
    'torchaudio': [],
}
LICENCES = {'torchvision': '/usr/share/doc/python3-torchvision/copyright',
            'torchaudio': '/usr/share/doc/python3-torchaudio/copyright'}


def vendor_root(package: str, version: str) -> str:
    return f'{THIRD_PARTY}/{package}-{version}'


def files_named_by(truth_dir: str, folders: Iterable[str]) -> List[str]:
    """sourceFiles of every record in the truth files under these folders of truth_dir, so that
    regenerating one section keeps the sources the other sections' records name."""
    named = set()
    for folder in folders:
        path = os.path.join(truth_dir, folder)
        if not os.path.isdir(path):
            continue
        for entry in sorted(os.listdir(path)):
            if entry.endswith('.json'):
                with open(os.path.join(path, entry), encoding='utf-8') as handle:
                    for record in json.load(handle)['models']:
                        named.update(record['sourceFiles'])
    return sorted(named)


def vendor(package: str, version: str, package_dir: str, files: Iterable[str]) -> str:
    """Replace the vendored tree of package with these files (plus support modules and empty
    __init__.py files); returns the repo-relative folder the files are relative to."""
    tree_rel = vendor_root(package, version)
    root_rel = f'{tree_rel}/{package}'
    parent = os.path.join(REPO_ROOT, THIRD_PARTY)
    os.makedirs(parent, exist_ok=True)
    for entry in os.listdir(parent):  # drop trees of other versions of this package
        if entry.startswith(package + '-'):
            shutil.rmtree(os.path.join(parent, entry))
    root = os.path.join(REPO_ROOT, root_rel)
    for relative in sorted(set(files) | set(SUPPORT_FILES.get(package, []))):
        target = os.path.join(root, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(package_dir, relative), target)
    for folder, _dirs, _files in os.walk(root):
        init = os.path.join(folder, '__init__.py')
        if not os.path.exists(init):
            open(init, 'w').close()
    licence = LICENCES.get(package)
    if licence and os.path.exists(licence):
        shutil.copyfile(licence, os.path.join(REPO_ROOT, tree_rel, 'COPYRIGHT'))
    return root_rel
