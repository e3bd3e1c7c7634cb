#!/usr/bin/env python3
"""Regenerate WattLens's ground-truth fixtures from real torch (npm run truth).

Writes test/fixtures/truth/{torchvision/<family>.json, torchvision-tasks/<family>.json,
torchvision-published-check.json, torchaudio.json, gpt.json, own.json, realworld.json}. Deterministic: rerunning on the same torch gives the same
files. Needs torch, torchvision and torchaudio (Debian: /usr/bin/python3). Format: README.md here.

    make_truth.py                       everything
    make_truth.py --only own,gpt        some sections
    make_truth.py --builders resnet50   a few torchvision builders, printed, nothing written
"""
import argparse
import os
import sys
import time

SECTIONS = ('torchvision', 'torchvision-tasks', 'published', 'torchaudio', 'gpt', 'own', 'realworld')
TRUTH_DIR = 'test/fixtures/truth'


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--only', default=','.join(SECTIONS), help=f'comma-separated sections: {",".join(SECTIONS)}')
    parser.add_argument('--builders', default='', help='torchvision builders to run (implies --dry-run)')
    parser.add_argument('--dry-run', action='store_true', help='print figures, write nothing')
    parser.add_argument('--cpu-check-below', type=float, default=1e9,
                        help='also run torchvision builders under this many MACs on CPU and require identical rows')
    args = parser.parse_args(argv)
    args.sections = [s for s in args.only.split(',') if s]
    unknown = [s for s in args.sections if s not in SECTIONS]
    if unknown:
        parser.exit(2, f'make_truth: unknown section {unknown[0]!r}; choose from {", ".join(SECTIONS)}\n')
    args.builder_list = [b for b in args.builders.split(',') if b]
    if args.builder_list:
        args.dry_run = True
    return args


def write_torchvision_group(folder_name, grouped, problems, write, dry_run, keep=()):
    """Write one truth file per group under truth/<folder_name>/, then re-vendor the sources that
    every torchvision truth file (both folders, as now on disk) names."""
    import torchvision
    import torchvision_tasks_truth
    import vendor_sources
    from record import REPO_ROOT
    root = None
    if not dry_run:
        folder = os.path.join(REPO_ROOT, TRUTH_DIR, folder_name)
        os.makedirs(folder, exist_ok=True)
        for stale in set(os.listdir(folder)) - {f'{stem}.json' for stem in list(grouped) + list(keep)}:
            os.remove(os.path.join(folder, stale))
        root = vendor_sources.vendor_root('torchvision', torchvision.__version__) + '/torchvision'
    for stem, records in sorted(grouped.items()):
        problems += [f'{r["name"]}: uncounted ops {r["uncountedOps"]}' for r in records if r['uncountedOps']]
        write(f'{TRUTH_DIR}/{folder_name}/{stem}.json', {'family': stem, 'sourceRoot': root, 'models': records})
    if not dry_run:
        named = vendor_sources.files_named_by(os.path.join(REPO_ROOT, TRUTH_DIR), ('torchvision', 'torchvision-tasks'))
        vendor_sources.vendor('torchvision', torchvision.__version__, torchvision_tasks_truth.TORCHVISION_DIR,
                              named + torchvision_tasks_truth.support_files())


def main(argv) -> int:
    args = parse_args(argv)
    try:
        import torch  # noqa: F401
        import torchaudio  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError as error:
        print(f'make_truth: {error.name} is not importable by {sys.executable}; run it with the Python that has '
              f'torch, torchvision and torchaudio (Debian: /usr/bin/python3, or set WATTLENS_PYTHON)', file=sys.stderr)
        return 2
    import torch
    import torchaudio
    import torchvision
    import warnings
    warnings.filterwarnings('ignore')
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from record import REPO_ROOT, write_truth
    import vendor_sources

    problems = []
    started = time.time()

    def write(path, payload):
        if args.dry_run:
            return
        size = write_truth(path, payload)
        print(f'  wrote {path} ({size / 1024:.0f} KiB)')

    if 'torchvision' in args.sections:
        import torchvision_truth
        print('torchvision builders (batch 1, eval, published crop size):')
        grouped = torchvision_truth.families(args.cpu_check_below, args.builder_list or None)
        write_torchvision_group('torchvision', grouped, problems, write, args.dry_run)

    if 'torchvision-tasks' in args.sections:
        import torchvision_tasks_truth
        print('torchvision segmentation, detection, video, optical flow, quantization builders:')
        # one file per family as soon as it is measured (detection, last, takes most of the time)
        done = []
        for family, records in torchvision_tasks_truth.families(args.cpu_check_below, args.builder_list or None):
            done.append(family)
            write_torchvision_group('torchvision-tasks', {family: records}, problems, write, args.dry_run,
                                    keep=done if args.builder_list else torchvision_tasks_truth.FAMILIES)

    if 'published' in args.sections and not args.builder_list:
        import compare_published
        print('torchvision published figures vs torch_macs:')
        rows, disagreements = compare_published.check()
        problems += disagreements
        write(f'{TRUTH_DIR}/torchvision-published-check.json',
              {'published': compare_published.PUBLISHED,
               'tolerance': 'max(1 % of published, half a unit of its last printed decimal)', 'rows': rows})

    for section, module_name, path in [('torchaudio', 'torchaudio_truth', 'torchaudio.json'),
                                       ('gpt', 'gpt_truth', 'gpt.json'), ('own', 'own_truth', 'own.json')]:
        if section in args.sections and not args.builder_list:
            print(f'{section}:')
            records = __import__(module_name).records()
            problems += [f'{r["entry"]}: uncounted ops {r["uncountedOps"]}' for r in records if r['uncountedOps']]
            root = '.'
            if section == 'torchaudio' and not args.dry_run:
                import torchaudio_truth
                root = vendor_sources.vendor('torchaudio', torchaudio.__version__, torchaudio_truth.TORCHAUDIO_DIR,
                                             [f for r in records for f in r['sourceFiles']])
            write(f'{TRUTH_DIR}/{path}', {'sourceRoot': root, 'models': records})

    if 'realworld' in args.sections and not args.builder_list:
        import realworld_truth
        print('realworld corpus (test/fixtures/realworld/cases.json):')
        records = realworld_truth.records()
        problems += [f'{r["id"]}: uncounted ops {r["uncountedOps"]}' for r in records if r.get('uncountedOps')]
        write(realworld_truth.TRUTH_PATH, realworld_truth.payload(records))

    print(f'done in {time.time() - started:.0f}s')
    for problem in problems:
        print(f'PROBLEM: {problem}', file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
