"""Chinese word segmentation: jieba's algorithm and default dictionary, loaded by first character.

jieba builds its whole prefix dictionary (about 500,000 entries, 0.6 s of CPU) before its
first cut. Every dictionary lookup jieba makes while cutting a text is a substring of that
text, so holding only the entries whose first character occurs in the text gives exactly
the same words. The dictionary is therefore split once into one shard per first character
(a cache file in the temp folder, like jieba's own cache, rebuilt when jieba's dictionary
file changes) and a process loads the shards of the characters it has seen: a cold query
loads a few hundred entries instead of half a million. jieba's part-of-speech tags (the
word/tag table `jieba.posseg` reads from the same file, 0.4 s of CPU) are sharded the same
way: `tag(word)` loads the tags of one first character.

Nothing here knows a knowledge base: domain terms are handled by `knowledge.text.KBTokenizer`
around this segmenter, so the dictionary never changes once loaded. Tested in
tests/knowledge/test_text.py (same words as a fully loaded jieba).
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import mmap
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

log = logging.getLogger(__name__)

MAGIC = b"SCJIEBA2"  # 2: part-of-speech tag shards added
CACHE_DIR_ENV = "SMART_COPILOT_CACHE_DIR"


class Segmenter:
    """jieba `cut_for_search` (HMM on) over a lazily sharded default dictionary."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._tok: Any = None
        self._index: dict[str, tuple[int, int]] = {}
        self._tag_index: dict[str, tuple[int, int]] = {}
        self._data: Any = None
        self._loaded: set[str] = set()
        self._tags: dict[str, str] = {}
        self._tags_loaded: set[str] = set()
        self._version = ""

    @property
    def version(self) -> str:
        """Content hash of jieba's dictionary: tokens of an index are only valid for the same one."""
        if self._tok is None:
            self._open()
        return self._version

    def cut_for_search(self, text: str) -> Iterator[str]:
        """jieba's search-mode words of `text` (identical to a fully initialised jieba.Tokenizer)."""
        tok = self._tok or self._open()
        missing = set(text) - self._loaded
        if missing:
            self._load(missing)
        return tok.cut_for_search(text, HMM=True)

    @property
    def total(self) -> int:
        """Sum of the dictionary's frequencies (jieba's `total`)."""
        return int((self._tok or self._open()).total)

    def freq(self, word: str) -> int:
        """jieba's dictionary frequency of `word` (0: not a dictionary word)."""
        tok = self._tok or self._open()
        if word and word[0] not in self._loaded:
            self._load({word[0]})
        return int(tok.FREQ.get(word) or 0)

    def tag(self, word: str) -> str | None:
        """jieba's part-of-speech tag of `word` (`jieba.posseg`'s table; None: not a dictionary word)."""
        if not word:
            return None
        if self._tok is None:
            self._open()
        if word[0] not in self._tags_loaded:
            with self._lock:
                if word[0] not in self._tags_loaded:
                    span = self._tag_index.get(word[0])
                    if span is not None:
                        self._tags.update(marshal.loads(self._data[span[0]:span[0] + span[1]]))
                    self._tags_loaded.add(word[0])
        return self._tags.get(word)

    def _load(self, chars: set[str]) -> None:
        with self._lock:
            for ch in chars - self._loaded:
                span = self._index.get(ch)
                if span is not None:
                    self._tok.FREQ.update(marshal.loads(self._data[span[0]:span[0] + span[1]]))
                self._loaded.add(ch)  # only after its entries are in: other threads check this set

    def _open(self) -> Any:
        with self._lock:
            if self._tok is None:
                jieba = _import_jieba()
                jieba.setLogLevel(logging.WARNING)
                path = _cache_path(self._cache_dir, jieba)
                header = _read_header(path, jieba)
                if header is None:
                    _write_shards(path, jieba)
                    header = _read_header(path, jieba)
                tok = jieba.Tokenizer()
                if header is None:  # the cache cannot be written here: hold the whole dictionary
                    tok.initialize()
                    self._version = _dict_hash(jieba)
                    self._tags = _read_tags(_dict_file(jieba))  # whole; no tag shards to load
                else:
                    data, offset, head = header
                    self._data, self._index, self._version = data, {k: (offset + a, n) for k, (a, n) in head["index"].items()}, head["sha1"]
                    self._tag_index = {k: (offset + a, n) for k, (a, n) in head["tags"].items()}
                    tok.FREQ, tok.total, tok.initialized = {}, head["total"], True
                self._tok = tok
            return self._tok


def _import_jieba() -> Any:
    """`import jieba` without its optional pkg_resources import (0.1 s of CPU per cold process).

    jieba falls back to plain file paths next to its module when pkg_resources is missing;
    hiding it for the duration of the import selects that fallback.
    """
    import sys

    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


def _read_tags(path: Path) -> dict[str, str]:
    """word -> tag, read as `jieba.posseg.POSTokenizer.load_word_tag` reads it (the last line of a word wins)."""
    tags: dict[str, str] = {}
    with open(path, "rb") as f:
        for line in f:
            text = line.strip().decode("utf-8")
            if text:
                word, _, tag = text.split(" ")
                tags[word] = tag
    return tags


def _dict_file(jieba: Any) -> Path:
    return Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)


def _dict_hash(jieba: Any) -> str:
    return hashlib.sha1(_dict_file(jieba).read_bytes()).hexdigest()[:16]


def _source_stamp(jieba: Any) -> str:
    stat = _dict_file(jieba).stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _cache_path(cache_dir: Path | None, jieba: Any) -> Path:
    folder = Path(cache_dir or os.environ.get(CACHE_DIR_ENV) or tempfile.gettempdir())
    # the format version is in the name: worktrees of older builds keep their own file
    return folder / f"smart-copilot-jieba-{getattr(jieba, '__version__', 'x')}.{MAGIC[-1:].decode()}.shards"


def _read_header(path: Path, jieba: Any) -> tuple[Any, int, dict] | None:
    """(mapped file, offset of the shards, header) when the cache exists and matches the dictionary."""
    try:
        with open(path, "rb") as f:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if data[:8] != MAGIC:
            return None
        size = int.from_bytes(data[8:16], "little")
        head = marshal.loads(data[16:16 + size])
        if head.get("source") != _source_stamp(jieba):
            return None
        return data, 16 + size, head
    except (OSError, ValueError, EOFError, TypeError):
        return None


def _write_shards(path: Path, jieba: Any) -> None:
    """Split jieba's prefix dictionary and tag table by first character into one file (atomic rename)."""
    with open(_dict_file(jieba), "rb") as f:
        freq, total = jieba.Tokenizer.gen_pfdict(f)
    blobs: list[bytes] = []
    offset = 0

    def add(table: dict[str, Any]) -> dict[str, tuple[int, int]]:
        nonlocal offset
        shards: dict[str, dict[str, Any]] = {}
        for word, value in table.items():
            shards.setdefault(word[0], {})[word] = value
        index = {}
        for ch, entries in shards.items():
            blob = marshal.dumps(entries)
            index[ch] = (offset, len(blob))
            blobs.append(blob)
            offset += len(blob)
        return index

    index, tags = add(freq), add(_read_tags(_dict_file(jieba)))
    head = marshal.dumps({"source": _source_stamp(jieba), "sha1": _dict_hash(jieba), "total": total, "index": index,
                          "tags": tags})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + len(head).to_bytes(8, "little") + head)
            for blob in blobs:
                out.write(blob)
        os.chmod(tmp, 0o644)  # shared like jieba's own cache
        os.replace(tmp, path)
    except OSError as exc:  # read-only temp folder: the caller falls back to the full dictionary
        log.warning("cannot write the segmenter cache %s: %s", path, exc)


@lru_cache(maxsize=1)
def segmenter() -> Segmenter:
    """The process's segmenter (its dictionary never changes, so one is shared by every base)."""
    return Segmenter()
