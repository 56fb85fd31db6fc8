"""AgentDesk (代办通): offline-first desk for village proxy agents and township reviewers."""

import os

__version__ = "0.1.0"

# Names and item titles are read one character at a time, so pypinyin's phrase dictionary (about
# 45 MB resident) buys nothing here; skip it before any module imports pypinyin.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
