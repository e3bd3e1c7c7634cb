# a network described by a config file beside the script, read with open() and parsed line by line
# entry: build()
# input: 1x3x16x16
import os

import torch.nn as nn

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'darknet.cfg')


def parse(path):
    with open(path, 'r') as f:
        lines = [x.strip() for x in f.read().split('\n') if x and not x.startswith('#')]
    blocks = []
    for line in lines:
        if line.startswith('['):
            blocks.append({'type': line[1:-1]})
        elif line:
            key, value = line.split('=')
            blocks[-1][key.strip()] = value.strip()
    return blocks


class Net(nn.Module):
    def __init__(self, path):
        super().__init__()
        blocks = parse(path)
        channels = int(blocks.pop(0)['channels'])
        layers = []
        for b in blocks:
            if b['type'] != 'convolutional':
                continue
            bn = int(b.get('batch_normalize', 0))
            k = int(b['size'])
            layers.append(nn.Conv2d(channels, int(b['filters']), k, int(b['stride']), (k - 1) // 2, bias=not bn))
            if bn:
                layers.append(nn.BatchNorm2d(int(b['filters'])))
            channels = int(b['filters'])
        with open(path) as f:
            sections = sum(1 for line in f if line.startswith('['))
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(channels, sections)

    def forward(self, x):
        return self.head(self.body(x).mean(dim=(2, 3)))


def build():
    return Net(CONFIG)
