#!/usr/bin/env python3
"""Summarizes the innermost FMA loop of a C2-compiled method.

HotSpot prints a method's machine code with
  java -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,dev.annonet.kernels.VectorGemm::microKernel6 ...
(Debian's libhsdis0-fcml makes it print at all; with Java 17 it prints raw bytes only). This
decodes the last C2 compile of the method with objdump and reports, for the backward-jumping
loop with the most FMAs: its instructions, FMAs, bounds-check-like compares and jumps,
broadcasts, vector moves and stack accesses (spills). --print also lists the loop.

  python3 benchmarks/hotloop.py compile.log VectorGemm::microKernel6 [--print]
"""
import re
import subprocess
import sys
import tempfile


def machine_code(log, method):
    block = None
    for part in log.split('Compiled method (c2)')[1:]:
        head = part.split('\n')[0]
        # '%' marks an on-stack-replacement compile; the regular one is what calls run.
        if method in head and '%' not in head.split(method)[0]:
            block = part
    if block is None:
        sys.exit(f'no C2 compile of {method} in the log')
    data, start = bytearray(), None
    for line in block.split('\n'):
        m = re.match(r'\s*0x([0-9a-f]+): ((?:[0-9a-f]{4} ?\|? ?)+)\s*$', line)
        if not m:
            continue
        addr = int(m.group(1), 16)
        raw = bytes.fromhex(''.join(m.group(2).replace('|', '').split()))
        if start is None:
            start = addr
        if addr == start + len(data):
            data += raw
    return start, bytes(data)


def disassemble(start, data):
    with tempfile.NamedTemporaryFile(suffix='.bin') as f:
        f.write(data)
        f.flush()
        out = subprocess.run(['objdump', '-D', '-b', 'binary', '-mi386:x86-64', '-M', 'intel',
                              f'--adjust-vma={start}', f.name],
                             capture_output=True, text=True, check=True).stdout
    return out.split('\n')


def hottest_loop(lines):
    loops = []
    for i, line in enumerate(lines):
        m = re.search(r'\tj\w+\s+0x([0-9a-f]+)', line)
        if not m or ':' not in line:
            continue
        target, here = int(m.group(1), 16), int(line.split(':')[0].strip(), 16)
        if target < here:
            first = [k for k, l in enumerate(lines) if l.strip().startswith(f'{target:x}:')]
            if first:
                body = lines[first[0]:i + 1]
                loops.append((sum('vfmadd' in l for l in body), body))
    if not loops:
        sys.exit('no loop found')
    return max(loops, key=lambda x: x[0])[1]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        log = f.read()
    body = hottest_loop(disassemble(*machine_code(log, sys.argv[2])))
    def count(pattern):
        return sum(re.search(pattern, line) is not None for line in body)
    figures = {
        'instructions': len(body),
        'FMAs': count('vfmadd'),
        'compares': count('\tcmp'),
        'unsigned jumps (bounds checks)': count('\tj(ae|b|a|be)\s'),
        'broadcasts': count('vbroadcast'),
        'vector moves': count('vmov(dqu|ups)'),
        'stack accesses': count('rsp'),
    }
    print(sys.argv[2] + ': ' + ', '.join(f'{v} {k}' for k, v in figures.items()))
    if '--print' in sys.argv:
        print('\n'.join(body))


if __name__ == '__main__':
    main()
