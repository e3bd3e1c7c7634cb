"""Copy the torchvision / torchaudio source files that truth records name into the test fixtures.

The engine-vs-truth tests then parse exactly the code the truth was measured on, on machines
without Python packages and whatever torchvision version a CI image ships. Files are copied
byte for byte (sha256 equal to the record's sourceSha256) under
test/fixtures/models/third_party/<package>-<version>/, next to the package's licence.
"""
import os
import shutil
from typing import Iterable

from record import REPO_ROOT

THIRD_PARTY = 'test/fixtures/models/third_party'
LICENCES = {'torchvision': '/usr/share/doc/python3-torchvision/copyright',
            'torchaudio': '/usr/share/doc/python3-torchaudio/copyright'}


def vendor_root(package: str, version: str) -> str:
    return f'{THIRD_PARTY}/{package}-{version}'


def vendor(package: str, version: str, package_dir: str, files: Iterable[str]) -> str:
    """Replace the vendored tree of package with exactly these files; returns its repo-relative root."""
    root_rel = vendor_root(package, version)
    parent = os.path.join(REPO_ROOT, THIRD_PARTY)
    os.makedirs(parent, exist_ok=True)
    for entry in os.listdir(parent):  # drop trees of other versions of this package
        if entry.startswith(package + '-'):
            shutil.rmtree(os.path.join(parent, entry))
    root = os.path.join(REPO_ROOT, root_rel)
    for relative in sorted(set(files)):
        target = os.path.join(root, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(package_dir, relative), target)
    licence = LICENCES.get(package)
    if licence and os.path.exists(licence):
        shutil.copyfile(licence, os.path.join(root, 'COPYRIGHT'))
    return root_rel
