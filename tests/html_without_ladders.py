#!/usr/bin/env python3
"""The HTML report on stdin less the ladders of its example calls and the lines about them,
on stdout: what a report merged from states (which hold no messages, so it has no ladders) is
compared with.

    python3 tests/html_without_ladders.py < PAGE > PAGE-WITHOUT-LADDERS
"""
import re
import sys

s = sys.stdin.buffer.read().decode("utf-8")
s = re.sub(r"<details class=\"ladder\">.*?</details>", "", s, flags=re.S)
s = re.sub(r" The first \d+ example calls of each problem have their ladder:.*?</p>", "</p>", s)
s = re.sub(r"<p class=\"note\">(No ladders of the example calls|The ladders leave out)[^\n]*</p>\n",
           "", s)
sys.stdout.buffer.write(s.encode("utf-8"))
