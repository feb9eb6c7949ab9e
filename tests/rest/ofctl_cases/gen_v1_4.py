#!/usr/bin/env python3
"""Writes v1_4.jsonl: the 1.4 and 1.5 cases come from one generator
(gen_v1_5.py), as ofctl's two modules share their code."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_v1_5  # noqa: E402

if __name__ == '__main__':
    gen_v1_5.main((5,))
