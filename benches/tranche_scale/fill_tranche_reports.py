#!/usr/bin/env python3
"""Fills a generated tranche up to NODES node reports by copying the ones make_tranche_reports wrote, with each
copy's identity renumbered (host gpuNNNNN, GPU serials 16542NNNNNNgg, UUIDs GPU-xxxxxxxx-...: the fixed-width
forms benches/tranche_scale/synthetic_node.cpp writes), so every host, serial and UUID stays unique and every copy
has exactly the bytes and structure of its original. For when generating every node is too slow on the machine.

Usage: fill_tranche_reports.py ROOT GENERATED NODES [RACK_SIZE=80]
  ROOT holds rack-NNN/gpuNNNNN.json for nodes 1..GENERATED; copies become nodes GENERATED+1..NODES.
"""
import os
import sys


def node_path(root, n, rack_size):
    return os.path.join(root, "rack-%03d" % ((n - 1) // rack_size + 1), "gpu%05d.json" % n)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    root, generated, nodes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rack_size = int(sys.argv[4]) if len(sys.argv) > 4 else 80
    for n in range(generated + 1, nodes + 1):
        src = (n - 1) % generated + 1
        with open(node_path(root, src, rack_size), "rb") as f:
            text = f.read()
        old_index, new_index = src - 1, n - 1  # node_index in the generator: host number - 1
        for old, new in ((b"gpu%05d" % src, b"gpu%05d" % n),
                         (b'"16542%06d' % old_index, b'"16542%06d' % new_index),
                         (b"GPU-%08x-7b4d" % old_index, b"GPU-%08x-7b4d" % new_index)):
            if old not in text:
                sys.exit("%s: no '%s' to renumber" % (node_path(root, src, rack_size), old.decode()))
            text = text.replace(old, new)
        out = node_path(root, n, rack_size)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out + ".tmp", "wb") as f:
            f.write(text)
        os.rename(out + ".tmp", out)
    print("filled %d copies: %d node reports under %s" % (nodes - generated, nodes, root))


if __name__ == "__main__":
    main()
