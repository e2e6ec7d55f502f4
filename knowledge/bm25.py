"""In-memory BM25 over the FTS5 token columns: the fast path of lexical search.

FTS5 stays the persistent, transactional store of the tokens and the reference ranking
(`Catalog.lexical_search`); ranking every matching row with FTS5's bm25() costs tens of
milliseconds on a large base, so search uses this index instead: postings in CSR numpy
arrays, scored with FTS5's bm25() formula (k1=1.2, b=0.75, column weights applied to
term frequencies, document length = all columns, IDF log((N - n + 0.5) / (n + 0.5))
floored at 1e-6), so both rank alike. Built lazily per base, saved next to the catalog
(`bm25-<key>.npz`: plain numeric arrays, the vocabulary as UTF-8 bytes, loaded without
pickle) and rebuilt when the base's generation counter changes or the file is unreadable.
The saved arrays are not read in: `np.savez` stores them uncompressed, so loading maps the
file and views each array where it lies (`_mapped`): a query touches the postings of its
own terms, and a cold process costs the same on a base four times larger.
"""

from __future__ import annotations

import io
import math
import mmap
import os
import struct
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import numpy as np

K1 = 1.2
B = 0.75
FORMAT = 3
"""3: stamped with the tokenizer identity of the base (heading path words are cut at build time)."""
ARRAYS = ("rowids", "lengths", "indptr", "docs", "htf", "btf")


def _consistent(arrays: dict[str, np.ndarray], n_terms: int) -> bool:
    """Shapes agree with each other (a truncated or edited file is rejected, not half-used)."""
    n, postings, indptr = len(arrays["rowids"]), len(arrays["docs"]), arrays["indptr"]
    return (len(arrays["lengths"]) == n and len(indptr) == n_terms + 1 and len(arrays["htf"]) == postings
            and len(arrays["btf"]) == postings and int(indptr[-1]) == postings
            and (postings == 0 or int(arrays["docs"].max()) < n))


def _mapped(path: Path) -> dict[str, np.ndarray] | None:
    """The members of an uncompressed `.npz` as read-only arrays over one memory map of the file
    (the same values `np.load` reads); None when a member is compressed or not a plain array."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            return None
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    out: dict[str, np.ndarray] = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            start = info.header_offset
            if info.compress_type != zipfile.ZIP_STORED or data[start:start + 4] != b"PK\x03\x04":
                return None
            name_len, extra_len = struct.unpack("<HH", data[start + 26:start + 30])  # local file header
            begin = start + 30 + name_len + extra_len
            head = io.BytesIO(data[begin:begin + min(info.file_size, 1 << 16)])
            version = np.lib.format.read_magic(head)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read_header(head)
            count = math.prod(shape)
            if fortran or dtype.hasobject or head.tell() + count * dtype.itemsize > info.file_size:
                return None
            out[info.filename.removesuffix(".npy")] = np.frombuffer(data, dtype, count, begin + head.tell()).reshape(shape)
    return out


class BM25Index:
    """Postings of one knowledge base; `search` returns (chunk rowid, score) best first."""

    def __init__(self, arrays: dict[str, np.ndarray], terms: list[str], generation: int, tokenizer: str = "") -> None:
        self.generation = generation
        self.tokenizer = tokenizer
        self.rowids = arrays["rowids"]
        self.n = len(self.rowids)
        self._indptr = arrays["indptr"]
        self._docs = arrays["docs"]
        self._htf = arrays["htf"]
        self._btf = arrays["btf"]
        self._lengths = arrays["lengths"]
        avg = float(self._lengths.mean()) if self.n else 1.0
        self._norm = (K1 * (1 - B + B * self._lengths / max(avg, 1e-9))).astype(np.float32)
        self._terms = {t: i for i, t in enumerate(terms)}
        self._arrays = arrays
        self._term_list = terms

    @classmethod
    def build(cls, rows: Iterable[tuple[int, str, str]], generation: int, tokenizer: str = "") -> "BM25Index":
        rowids: list[int] = []
        lengths: list[int] = []
        term_ids: dict[str, int] = {}
        t_col: list[int] = []
        d_col: list[int] = []
        h_col: list[int] = []
        b_col: list[int] = []
        for rowid, head, body in rows:
            i = len(rowids)
            rowids.append(rowid)
            h, b = head.split(), body.split()
            lengths.append(len(h) + len(b))
            hc, bc = Counter(h), Counter(b)
            for term in hc.keys() | bc.keys():
                t_col.append(term_ids.setdefault(term, len(term_ids)))
                d_col.append(i)
                h_col.append(hc.get(term, 0))
                b_col.append(bc.get(term, 0))
        tids = np.asarray(t_col, dtype=np.int32)
        order = np.argsort(tids, kind="stable")
        counts = np.bincount(tids, minlength=len(term_ids)) if len(tids) else np.zeros(len(term_ids), dtype=np.int64)
        arrays: dict[str, np.ndarray] = {
            "rowids": np.asarray(rowids, dtype=np.int64),
            "lengths": np.asarray(lengths, dtype=np.float32),
            "indptr": np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            "docs": np.asarray(d_col, dtype=np.int32)[order],
            "htf": np.asarray(h_col, dtype=np.float32)[order],
            "btf": np.asarray(b_col, dtype=np.float32)[order],
        }
        return cls(arrays, list(term_ids), generation, tokenizer)

    def save(self, path: Path) -> None:
        """Atomic write (temp file + rename) so a killed process never leaves half a file."""
        tmp = path.with_suffix(f".tmp{os.getpid()}.npz")
        terms = np.frombuffer("\n".join(self._term_list).encode("utf-8"), dtype=np.uint8)
        payload: dict[str, Any] = {"generation": np.asarray([self.generation]), "format": np.asarray([FORMAT]),
                                   "n_terms": np.asarray([len(self._term_list)]), "terms": terms,
                                   "tokenizer": np.frombuffer(self.tokenizer.encode("utf-8"), dtype=np.uint8), **self._arrays}
        np.savez(tmp, **payload)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, generation: int, tokenizer: str = "") -> "BM25Index | None":
        """The saved index if it matches `generation` and `tokenizer`, else None."""
        try:
            data = _mapped(path)
            if data is None:
                with np.load(path, allow_pickle=False) as saved:
                    data = {k: saved[k] for k in saved.files}
            if int(data["format"][0]) != FORMAT or int(data["generation"][0]) != generation:
                return None
            if data["tokenizer"].tobytes().decode("utf-8") != tokenizer:
                return None
            arrays = {k: data[k] for k in ARRAYS}
            raw = data["terms"].tobytes().decode("utf-8")
            terms = raw.split("\n") if raw else []
            if len(terms) != int(data["n_terms"][0]) or not _consistent(arrays, len(terms)):
                return None
            return cls(arrays, terms, generation, tokenizer)
        except (OSError, KeyError, ValueError, EOFError, UnicodeDecodeError, zipfile.BadZipFile, struct.error):
            return None  # missing, damaged or an older format: the caller rebuilds it

    def df(self, term: str) -> int:
        i = self._terms.get(term)
        return 0 if i is None else int(self._indptr[i + 1] - self._indptr[i])

    def head_df(self, term: str) -> int:
        """Chunks whose heading column (title, headings, path words) holds `term`: the names a base heads its sections by."""
        i = self._terms.get(term)
        return 0 if i is None else int((self._htf[self._indptr[i]:self._indptr[i + 1]] > 0).sum())

    def rows_with(self, term: str) -> list[int]:
        """Rowids of the chunks holding `term`."""
        i = self._terms.get(term)
        return [] if i is None else [int(r) for r in self.rowids[self._docs[self._indptr[i]:self._indptr[i + 1]]]]

    def cf(self, term: str) -> int:
        """Occurrences of `term` in the base (heading and body), for query term weights."""
        i = self._terms.get(term)
        if i is None:
            return 0
        lo, hi = self._indptr[i], self._indptr[i + 1]
        return int(self._htf[lo:hi].sum() + self._btf[lo:hi].sum())

    @property
    def vocabulary(self) -> list[str]:
        """Every indexed term (for sub-word look-ups: knowledge.query_terms.word_forms)."""
        return self._term_list

    @property
    def total_tokens(self) -> int:
        return int(self._lengths.sum())

    def scores(self, weights: dict[str, float], head_weight: float = 3.0) -> np.ndarray:
        """BM25 of every chunk (aligned with `rowids`) for weighted query terms; zeros where nothing matches."""
        return self.scores_and_coverage(weights, head_weight)[0]

    def scores_and_coverage(self, weights: dict[str, float], head_weight: float = 3.0,
                            groups: dict[str, str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """BM25 of every chunk, and the share of the query's weighted IDF that each chunk holds
        (1.0: every query term the base knows is in the chunk; 0: none).

        `groups`: term -> the query word it is a piece of (search-mode sub-words: 绝大 / 大部 /
        部分 of 绝大部分). A word's pieces are one piece of evidence: a chunk earns the best of
        them, not their sum, and the word counts once in the share."""
        scores = np.zeros(self.n, dtype=np.float32)
        held = np.zeros(self.n, dtype=np.float32)
        total = 0.0
        parts: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
        for term, weight in weights.items():
            i = self._terms.get(term)
            if i is None or weight <= 0:
                continue
            lo, hi = self._indptr[i], self._indptr[i + 1]
            idx = self._docs[lo:hi]
            freq = head_weight * self._htf[lo:hi] + self._btf[lo:hi]
            idf = max(math.log((self.n - (hi - lo) + 0.5) / ((hi - lo) + 0.5)), 1e-6)
            key = groups.get(term) if groups else None
            if key is None:
                scores[idx] += weight * idf * freq * (K1 + 1) / (freq + self._norm[idx])
                held[idx] += weight * idf
                total += weight * idf
                continue
            if key not in parts:
                parts[key] = (np.zeros(self.n, dtype=np.float32), np.zeros(self.n, dtype=np.float32), 0.0)
            s, h, t = parts[key]
            s[idx] = np.maximum(s[idx], weight * idf * freq * (K1 + 1) / (freq + self._norm[idx]))  # idx unique per term
            h[idx] = np.maximum(h[idx], np.float32(weight * idf))
            parts[key] = (s, h, max(t, weight * idf))
        for s, h, t in parts.values():
            scores += s
            held += h
            total += t
        return scores, (held / total if total > 0 else held)

    def search(self, tokens: list[str], limit: int, head_weight: float = 3.0) -> list[tuple[int, float]]:
        """(rowid, score) best first for unweighted tokens: FTS5's bm25() ranking."""
        if not self.n or limit <= 0:
            return []
        scores = self.scores({t: 1.0 for t in tokens}, head_weight)
        return [(int(self.rowids[i]), float(scores[i])) for i in top_positions(scores, limit)]


def top_positions(scores: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the `limit` best positive scores, best first (ties keep index order)."""
    matched = np.flatnonzero(scores > 0)
    if len(matched) > limit:
        matched = matched[np.argpartition(-scores[matched], limit - 1)[:limit]]
    return matched[np.argsort(-scores[matched], kind="stable")]
