#!/usr/bin/env python3
"""tests/width_check.py WIDTH FILE... - every line of each text report is at most WIDTH
display columns (UTF-8 aware: East Asian wide characters take two, combining marks none, the
escapes of the text report such as \\u{202E} one per character), with no trailing blank.
Prints the offending lines and exits 1 when one is wider."""
import sys
import unicodedata


def cols(line):
    c = 0
    for ch in line:
        if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d":
            continue
        c += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return c


def main():
    width = int(sys.argv[1])
    bad = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            for no, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if cols(line) > width:
                    print("# %s:%d: %d columns > %d: %s" % (path, no, cols(line), width, line[:120]))
                    bad = 1
                elif line != line.rstrip(" "):
                    print("# %s:%d: trailing blank" % (path, no))
                    bad = 1
    return bad


sys.exit(main())
