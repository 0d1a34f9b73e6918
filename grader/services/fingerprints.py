"""Pairwise code similarity with copydetect's winnowing fingerprints (the method MOSS uses).

copydetect tokenizes each file with pygments and replaces every variable, attribute, function
and class name by one letter and every string by another, and drops comments and whitespace:
renamed identifiers and rewritten comments change nothing. Fingerprints are hashes of k-grams of
that token text, so a copy whose functions were put in another order still shares nearly all of
them. Fingerprints that occur in the starter code are boilerplate and never count.

What copydetect does not give is which copied region of one file matches which region of the
other (it reports each file's copied regions separately); `_aligned` pairs them up from the
shared fingerprints so the page can show both sides of each match.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
from copydetect import CodeFingerprint
from copydetect.utils import get_copied_slices
from pygments.lexers import get_lexer_for_filename
from pygments.util import ClassNotFound

# Shortest run of matching token text that counts (copydetect's noise threshold). Flask code
# normalizes to many short common runs (a decorated route is about 25 token characters), so
# this is above copydetect's default of 25: what two honest solutions share by the framework
# alone stays below it.
NOISE_T = 35
# Every run of this length is found (copydetect's guarantee threshold; window = G - N + 1).
GUARANTEE_T = 40


@dataclass
class Prints:
    """One file's copydetect fingerprint, with its (hash, position) pairs as sorted arrays.

    copydetect keeps them in a dict of lists and builds arrays for every comparison; with a
    few hundred files and tens of thousands of pairs, building them once per file is what
    keeps a computation under a minute.
    """

    fp: CodeFingerprint
    unique: np.ndarray  # the distinct fingerprint hashes, sorted
    hashes: np.ndarray  # every occurrence's hash, sorted
    positions: np.ndarray  # where each occurrence starts in the token text

    @classmethod
    def of(cls, fp: CodeFingerprint) -> Prints:
        pairs = sorted((value, at) for value, ats in fp.hash_idx.items() for at in ats)
        hashes = np.array([value for value, _ in pairs], dtype=np.int64)
        positions = np.array([at for _, at in pairs], dtype=np.int64)
        return cls(fp, np.unique(hashes), hashes, positions)

    def at(self, shared: np.ndarray) -> np.ndarray:
        """The positions of every occurrence of the shared hashes."""
        return self.positions[np.isin(self.hashes, shared)]


@dataclass
class Document:
    """One submission's files prepared for comparison; offsets are into `text`.

    `text` is the submission's files joined in path order; `segments` says where each file
    starts and ends in it. With one file, `text` is that file exactly.
    """

    key: int
    text: str
    segments: list[tuple[str, int, int]]
    prints: dict[str, Prints] = field(default_factory=dict)
    coverage: float = 0.0  # token characters that take part (after the boilerplate is gone)

    def start_of(self, path: str) -> int:
        return next(start for name, start, _ in self.segments if name == path)


def comparable(path: str) -> bool:
    """Only files pygments can tokenize are compared (a data file or an image is not code)."""
    try:
        get_lexer_for_filename(path)
    except ClassNotFound:
        return False
    return True


def _fingerprint(path: str, text: str, win_size: int, boilerplate: Any = None) -> CodeFingerprint:
    return CodeFingerprint(path, NOISE_T, win_size, boilerplate=boilerplate, fp=io.StringIO(text))


def boilerplate(starter: dict[str, str]) -> np.ndarray:
    """Every k-gram hash of the starter files (window 1, as copydetect does for boilerplate)."""
    hashes: list[Any] = []
    for path, text in starter.items():
        if comparable(path):
            hashes.extend(_fingerprint(path, text, 1).hashes)
    return np.unique(np.array(hashes))


def document(key: int, files: dict[str, str], excluded: np.ndarray | None = None) -> Document:
    """Fingerprint one submission's files, the starter's fingerprints left out."""
    text, segments = "", []
    for path in sorted(files):
        segments.append((path, len(text), len(text) + len(files[path])))
        text += files[path]
    doc = Document(key, text, segments)
    win_size = GUARANTEE_T - NOISE_T + 1
    for path in sorted(files):
        if comparable(path):
            doc.prints[path] = Prints.of(_fingerprint(path, files[path], win_size, excluded))
    doc.coverage = float(sum(p.fp.token_coverage for p in doc.prints.values()))
    return doc


def _raw(fp: CodeFingerprint, slices: np.ndarray) -> np.ndarray:
    """Token-text offsets back to offsets in the file as written (as copydetect's compare does)."""
    if len(fp.offsets) == 0 or slices.size == 0:
        return slices
    return slices + fp.offsets[:, 1][np.clip(np.searchsorted(fp.offsets[:, 0], slices), 0,
                                             fp.offsets.shape[0] - 1)]


def _aligned(pa: Prints, pb: Prints, shared: np.ndarray, slices_a: np.ndarray,
             slices_b: np.ndarray) -> list[tuple[int, int]]:
    """Which region of b each region of a was copied from: the one most shared prints point to."""
    in_a = np.isin(pa.hashes, shared)
    hashes_a, pos_a = pa.hashes[in_a], pa.positions[in_a]
    pos_b = pb.positions[np.searchsorted(pb.hashes, hashes_a)]  # first occurrence in b
    region_a = np.searchsorted(slices_a[0], pos_a, side="right") - 1
    region_b = np.searchsorted(slices_b[0], pos_b, side="right") - 1
    votes = Counter(zip(region_a.tolist(), region_b.tolist(), strict=True))
    best: dict[int, tuple[int, int]] = {}
    for (ra, rb), count in votes.items():
        if count > best.get(ra, (-1, 0))[1]:
            best[ra] = (rb, count)
    return sorted((ra, rb) for ra, (rb, _) in best.items())


def compare(a: Document, b: Document, with_matches: bool = True) -> tuple[float, list[list[int]]]:
    """(similarity 0..1, matches [a_start, a_end, b_start, b_end] as character offsets).

    Files are compared with the file of the same path on the other side, as copydetect's
    `compare_files` does (its slices and offsets, computed from the arrays of `Prints`). The
    similarity is the larger of the two shares of copied token text (of a's and of b's): a
    copy padded with extra code still shows as a copy of the shorter original.
    """
    overlap_a = overlap_b = 0.0
    matches: list[list[int]] = []
    for path in sorted(set(a.prints) & set(b.prints)):
        pa, pb = a.prints[path], b.prints[path]
        shared = np.intersect1d(pa.unique, pb.unique, assume_unique=True)
        if shared.size == 0:
            continue
        slices_a = get_copied_slices(pa.at(shared), pa.fp.k)
        slices_b = get_copied_slices(pb.at(shared), pb.fp.k)
        overlap_a += float(np.sum(slices_a[1] - slices_a[0]))
        overlap_b += float(np.sum(slices_b[1] - slices_b[0]))
        if not with_matches:
            continue
        raw_a, raw_b = _raw(pa.fp, slices_a.copy()), _raw(pb.fp, slices_b.copy())
        shift_a, shift_b = a.start_of(path), b.start_of(path)
        for region_a, region_b in _aligned(pa, pb, shared, slices_a, slices_b):
            matches.append([int(raw_a[0][region_a]) + shift_a, int(raw_a[1][region_a]) + shift_a,
                            int(raw_b[0][region_b]) + shift_b, int(raw_b[1][region_b]) + shift_b])
    share_a = overlap_a / a.coverage if a.coverage else 0.0
    share_b = overlap_b / b.coverage if b.coverage else 0.0
    return round(min(1.0, max(share_a, share_b)), 4), matches


def all_pairs(docs: list[Document], keep: int = 500, floor: float = 0.0,
              progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Every pair compared; the `keep` most similar at or above `floor`, highest first, with
    their matches. `progress(done, total)` is called now and then while it runs."""
    total = len(docs) * (len(docs) - 1) // 2
    scored: list[tuple[float, int, int]] = []
    step = max(1, total // 100)
    for done, (i, j) in enumerate(combinations(range(len(docs)), 2), start=1):
        similarity, _ = compare(docs[i], docs[j], with_matches=False)
        if similarity > 0 and similarity >= floor:
            scored.append((similarity, i, j))
        if progress is not None and (done % step == 0 or done == total):
            progress(done, total)
    scored.sort(key=lambda row: (-row[0], docs[row[1]].key, docs[row[2]].key))
    pairs = []
    for similarity, i, j in scored[:keep]:
        _, matches = compare(docs[i], docs[j])
        pairs.append({"a": docs[i].key, "b": docs[j].key, "similarity": similarity,
                      "matches": matches})
    return pairs
