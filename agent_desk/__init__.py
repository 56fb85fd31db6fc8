"""AgentDesk (代办通): offline-first desk for village proxy agents and township reviewers."""

import os

__version__ = "0.1.0"

# pypinyin's phrase dictionary stays on (item titles read as words: 银行 is yin hang); client names
# are read one character at a time with surname tables (store/search_keys.py). It is shared, not
# copied, and loaded only when the first pinyin is needed.
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
