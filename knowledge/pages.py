"""Page-level lexical index: BM25 over whole documents, and per-chunk page and kind.

Chunk BM25 alone misses pages whose words are spread over several sections, and lets
several chunks of one page crowd the top of the list. This index scores each document
as one text (title and source-path words weighted like headings, plus every chunk's
tokens) so `knowledge.retrieve` can add a page's score to its chunks' scores, and it
knows each chunk's page (for one-chunk-per-page ordering) and whether the chunk is a
question entry (FAQ pair, or a section or page titled with a question).

Scoring uses `bm25s`: its eager sparse matrix turns a weighted query into a sum of
precomputed rows (no per-query saturation arithmetic), and it saves as plain arrays
and JSON, no pickle. Saved under `pages-<kb key>/` next to the catalog, rebuilt when
the base's generation changes. Tests: tests/knowledge/test_ranking.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from knowledge.text import tokenize as default_tokenize

Tokenize = Callable[[str], list[str]]
FORMAT = 5
"""5: stamped with the base's tokenizer identity (titles and path words are cut at build time)."""
# Folder and file names that say nothing about a page (corpus layout, language folders).
_GENERIC_PATH = frozenset({"content", "docs", "doc", "index", "_index", "readme", "zh", "zh-cn", "en", "md", "src"})
_PATH_SPLIT = re.compile(r"[/\\]")
_WORD_SPLIT = re.compile(r"[-_.\s]+")
_QUESTION_END = ("？", "?")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)")  # no `[` / `(` inside: an unclosed one is not rescanned from every `[`
_WORD_CHAR = re.compile(r"[\w\u3400-\u9fff]")
_OVERVIEW = re.compile(r"概述|概览|总览|简介|overview|introduction", re.IGNORECASE)


def path_tokens(source: str, tokenize: Tokenize = default_tokenize) -> list[str]:
    """Words of a document's relative path: `ist0103/index.md` -> ['ist0103'] (with the base's tokenizer)."""
    stem = source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source
    out: list[str] = []
    for part in _PATH_SPLIT.split(stem.lower()):
        if not part or part in _GENERIC_PATH:
            continue
        words = [w for w in _WORD_SPLIT.split(part) if w and w not in _GENERIC_PATH]
        out.extend(tokenize(" ".join(words)) if words else [])
    return out


def product_folder(source: str) -> str:
    """The first folder of a document's path that names something (`tidb-docs-cn` of
    `tidb-docs-cn/dm/dm-faq.md`, `mysql` of `docs/mysql/slow-query.md`): where a base files a
    product's pages; "" for a file at the top."""
    parts = [p for p in _PATH_SPLIT.split(source.lower())[:-1] if p and p not in _GENERIC_PATH]
    return parts[0] if parts else ""


def is_question_entry(kind: str, title: str, heading_path: list[str]) -> bool:
    """A chunk under a heading (or of a page titled) with a question, in a document page.

    Pairs of FAQ files (kind "faq") are not counted: each is already its own short page
    here, which gives them what the boost gives a question section buried in a long page.
    """
    if kind == "faq":
        return False
    last = heading_path[-1] if heading_path else title
    return last.strip().endswith(_QUESTION_END) or title.strip().endswith(_QUESTION_END)


def is_navigation(text: str) -> bool:
    """A list of links ("相关文档", "接下来"): the words are other pages' titles, not this chunk's content."""
    labels = _LINK.findall(text)
    if len(labels) < 2:
        return False
    rest = len(_WORD_CHAR.findall(_LINK.sub(" ", text)))
    return rest < 0.25 * sum(len(_WORD_CHAR.findall(label)) for label in labels)


def is_overview(source: str, title: str) -> bool:
    """A section's index page or a page titled as an overview: broad, rarely what a specific question needs."""
    return source.rsplit("/", 1)[-1].startswith("_index.") or bool(_OVERVIEW.search(title))


@dataclass
class ChunkInfo:
    """What the page index needs to know about one chunk (from the catalog)."""

    rowid: int
    doc_id: int
    source: str
    title: str
    heading_path: list[str]
    kind: str
    navigation: bool = False
    """The chunk is a list of links to other pages (see is_navigation)."""


class PageIndex:
    """BM25 over documents (FAQ pairs one by one); `scores(weights)` is aligned with `pages` (their doc ids)."""

    def __init__(self, retriever, pages: np.ndarray, rowids: np.ndarray, chunk_page: np.ndarray,
                 question: np.ndarray, overview: np.ndarray, navigation: np.ndarray, generation: int,
                 tokenizer: str = "") -> None:
        self._bm25 = retriever
        self.pages = pages
        self.rowids = rowids  # sorted
        self.chunk_page = chunk_page
        self.question = question
        self.overview = overview
        self.navigation = navigation
        self.generation = generation
        self.tokenizer = tokenizer
        self._vocab: dict[str, int] = retriever.vocab_dict if retriever is not None else {}
        self._csc = retriever.scores if retriever is not None else None

    @classmethod
    def build(cls, chunks: Iterable[ChunkInfo], tokens: dict[int, tuple[str, str]], generation: int,
              tokenize: Tokenize = default_tokenize, tokenizer: str = "", title_weight: int = 3) -> "PageIndex":
        """`tokens[rowid]` = (head tokens, body tokens) as stored in the lexical index; `tokenize`: the base's."""
        import bm25s

        order: dict[tuple[int, int], int] = {}
        texts: list[list[str]] = []
        rowids: list[int] = []
        pages: list[int] = []
        question: list[bool] = []
        overview: list[bool] = []
        navigation: list[bool] = []
        for c in sorted(chunks, key=lambda c: c.rowid):
            # an FAQ file is a list of independent entries: each pair is its own "page"
            key = (c.doc_id, c.rowid if c.kind == "faq" else 0)
            if key not in order:
                order[key] = len(texts)
                texts.append((tokenize(c.title) + path_tokens(c.source, tokenize)) * title_weight)
            if not c.navigation:  # link labels are other pages' titles
                texts[order[key]].extend(tokens.get(c.rowid, ("", ""))[1].split())
            rowids.append(c.rowid)
            pages.append(order[key])
            question.append(is_question_entry(c.kind, c.title, c.heading_path))
            overview.append(is_overview(c.source, c.title))
            navigation.append(c.navigation)
        retriever = None
        if any(texts):  # bm25s cannot index an empty corpus
            retriever = bm25s.BM25(k1=1.2, b=0.75)
            retriever.index(texts, show_progress=False)
        doc_ids = np.empty(len(order), dtype=np.int64)
        for (doc_id, _), i in order.items():
            doc_ids[i] = doc_id
        return cls(retriever, doc_ids, np.asarray(rowids, dtype=np.int64), np.asarray(pages, dtype=np.int32),
                   np.asarray(question, dtype=bool), np.asarray(overview, dtype=bool),
                   np.asarray(navigation, dtype=bool), generation, tokenizer)

    def scores(self, weights: dict[str, float]) -> np.ndarray:
        """BM25 of every page for the weighted query terms (0 where nothing matches)."""
        out = np.zeros(len(self.pages), dtype=np.float32)
        if self._csc is None:
            return out
        indptr, indices, data = self._csc["indptr"], self._csc["indices"], self._csc["data"]
        for term, weight in weights.items():
            i = self._vocab.get(term)
            if i is None or weight <= 0:
                continue
            lo, hi = indptr[i], indptr[i + 1]
            out[indices[lo:hi]] += weight * data[lo:hi]
        return out

    def locate(self, rowids: np.ndarray) -> np.ndarray:
        """Positions of chunk rowids in this index (-1 for rowids it does not know)."""
        pos = np.searchsorted(self.rowids, rowids)
        pos = np.clip(pos, 0, max(len(self.rowids) - 1, 0))
        found = (self.rowids[pos] == rowids) if len(self.rowids) else np.zeros(len(rowids), dtype=bool)
        return np.where(found, pos, -1)

    # persistence -----------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write to a temp folder, then rename: a killed process never leaves half an index."""
        tmp = folder.with_name(f"{folder.name}.tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._bm25 is not None:
            self._bm25.save(str(tmp), show_progress=False)
        np.savez(tmp / "chunks.npz", pages=self.pages, rowids=self.rowids, chunk_page=self.chunk_page,
                 question=self.question, overview=self.overview, navigation=self.navigation)
        (tmp / "meta.json").write_text(json.dumps({"format": FORMAT, "generation": self.generation, "tokenizer": self.tokenizer,
                                                   "empty": self._bm25 is None}), encoding="utf-8")
        old = folder.with_name(f"{folder.name}.old{os.getpid()}")
        if folder.exists():
            os.replace(folder, old)
        os.replace(tmp, folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, generation: int, tokenizer: str = "") -> "PageIndex | None":
        """The saved index if it is of this format, generation and tokenizer, else None."""
        import bm25s

        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT or meta.get("generation") != generation or meta.get("tokenizer") != tokenizer:
                return None
            retriever = None if meta.get("empty") else bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
            with np.load(folder / "chunks.npz", allow_pickle=False) as data:
                arrays = {k: data[k] for k in ("pages", "rowids", "chunk_page", "question", "overview",
                                                 "navigation")}
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):  # missing, damaged or older: rebuilt
            return None
        return cls(retriever, arrays["pages"], arrays["rowids"], arrays["chunk_page"], arrays["question"], arrays["overview"],
                   arrays["navigation"], generation, tokenizer)
