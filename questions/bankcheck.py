"""Measures of a bank's quality that need no database: length cues and near-duplicates.

Pure functions over question mappings as they stand in bank files (``stem``, ``type``,
``options`` with ``text`` and ``correct``), so the bank tests, ``bank_report`` and authors at
a shell (``python -m questions.bankcheck fixtures/bank/``) read the same figures.
"""

import itertools
import math
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

# A length-only strategy may beat blind guessing by at most this many points over a bank.
CUE_MARGIN = 5.0
# The key's length rank must fall on each rank within 25 % ± this many points.
RANK_TOLERANCE = 6.0
# Stems and keys this similar (weighted word overlap) test the same thing the same way.
# Calibrated on pairs a reader found to test one fact the same way (FastFile input mode twice:
# 0.30 and 0.38; the fraud-imbalance setting twice: 0.33); different questions that share a
# service, such as routing e-mail with a classifier and securing an e-mail pipeline, score
# 0.11 to 0.25.
NEAR_DUPLICATE = 0.30

_STOPWORDS = """a an and are as at be by can data for from has have how in into is it its of
on or that the their them this to uses using what when which while who will with without
company team model models should would amazon aws sagemaker ai ml"""
STOPWORDS = frozenset(_STOPWORDS.split())


def _lengths(q: dict) -> list[int]:
    return [len(str(o["text"]).strip()) for o in q["options"]]


def _correct(q: dict) -> set[int]:
    return {i for i, o in enumerate(q["options"]) if o.get("correct") is True}


def _by_length(q: dict) -> list[int]:
    """Option indexes from longest to shortest (ties in authoring order)."""
    lengths = _lengths(q)
    return sorted(range(len(lengths)), key=lambda i: -lengths[i])


def key_rank(q: dict) -> int:
    """0 when the single answer's key is the longest option, 1 second-longest, and so on."""
    (key,) = _correct(q)
    return _by_length(q).index(key)


def _pick_longest(q: dict, k: int) -> set[int]:
    return set(_by_length(q)[:k])


def _pick_second(q: dict, k: int) -> set[int]:
    return set(_by_length(q)[1 : k + 1])


def _pick_shortest(q: dict, k: int) -> set[int]:
    return set(_by_length(q)[-k:])


def _pick_median(q: dict, k: int) -> set[int]:
    lengths = _lengths(q)
    middle = statistics.median(lengths)
    return set(sorted(range(len(lengths)), key=lambda i: abs(lengths[i] - middle))[:k])


STRATEGIES: dict[str, Callable[[dict, int], set[int]]] = {
    "longest": _pick_longest,
    "second-longest": _pick_second,
    "shortest": _pick_shortest,
    "closest to median": _pick_median,
}


@dataclass(frozen=True)
class CueReport:
    questions: int
    single: int
    multiple: int
    # Share of single-answer keys at each length rank (longest first), in percent.
    key_ranks: tuple[float, ...]
    # Mean relative rank of the correct options of multiple-response questions (0 longest, 1
    # shortest); 0.5 means length says nothing.
    multiple_mean_rank: float
    blind: float
    strategies: dict[str, float]

    @property
    def worst(self) -> tuple[str, float]:
        name = max(self.strategies, key=self.strategies.__getitem__)
        return name, self.strategies[name] - self.blind

    def problems(self) -> list[str]:
        found = []
        for rank, share in enumerate(self.key_ranks):
            if abs(share - 25) > RANK_TOLERANCE:
                found.append(f"single-answer keys at length rank {rank + 1}: {share:.1f} %")
        if self.multiple and abs(self.multiple_mean_rank - 0.5) > 0.08:
            found.append(f"multiple-response keys' mean length rank {self.multiple_mean_rank:.2f}")
        for name, score in self.strategies.items():
            if score - self.blind > CUE_MARGIN:
                found.append(
                    f"always picking the {name} option(s) scores {score:.1f} % "
                    f"against {self.blind:.1f} % for blind guessing"
                )
        return found


def length_cues(questions: Sequence[dict]) -> CueReport:
    single = [q for q in questions if q["type"] == "single"]
    multiple = [q for q in questions if q["type"] != "single"]
    ranks = Counter(key_rank(q) for q in single)
    key_ranks = tuple(100 * ranks[r] / len(single) if single else 0.0 for r in range(4))
    relative = [
        _by_length(q).index(i) / (len(q["options"]) - 1) for q in multiple for i in _correct(q)
    ]
    blind = sum(1 / math.comb(len(q["options"]), len(_correct(q))) for q in questions)
    scores = {}
    for name, pick in STRATEGIES.items():
        hits = sum(pick(q, len(_correct(q))) == _correct(q) for q in questions)
        scores[name] = 100 * hits / len(questions) if questions else 0.0
    return CueReport(
        questions=len(questions),
        single=len(single),
        multiple=len(multiple),
        key_ranks=key_ranks,
        multiple_mean_rank=statistics.fmean(relative) if relative else 0.5,
        blind=100 * blind / len(questions) if questions else 0.0,
        strategies=scores,
    )


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS}


def fingerprint(q: dict) -> set[str]:
    """The content words of the stem and of the correct option(s)."""
    keyed = " ".join(str(q["options"][i]["text"]) for i in sorted(_correct(q)))
    return _words(q["stem"]) | {f"key:{w}" for w in _words(keyed)}


def similarity(a: set[str], b: set[str]) -> float:
    # Key words count double: the same fact tested the same way shares its answer.
    weight = {w: 2 if w.startswith("key:") else 1 for w in a | b}
    union = sum(weight[w] for w in a | b)
    return sum(weight[w] for w in a & b) / union if union else 0.0


def near_duplicates(
    questions: Sequence[dict], threshold: float = NEAR_DUPLICATE
) -> list[tuple[str, str, float]]:
    """Pairs (key, key, similarity) at or above ``threshold``, most similar first."""
    prints = [(q["key"], fingerprint(q)) for q in questions]
    pairs = [
        (k1, k2, s)
        for (k1, a), (k2, b) in itertools.combinations(prints, 2)
        if (s := similarity(a, b)) >= threshold
    ]
    return sorted(pairs, key=lambda p: -p[2])


def read_questions(paths: Iterable[str | Path]) -> list[dict]:
    """Active questions of the YAML bank files in ``paths`` (folders are searched)."""
    found = []
    for p in map(Path, paths):
        files = sorted(p.rglob("*.yaml")) if p.is_dir() else [p]
        for f in files:
            for doc in yaml.safe_load_all(f.read_text(encoding="utf-8")):
                if doc:
                    found += [q for q in doc["questions"] if q.get("status") == "active"]
    return found


def describe(report: CueReport) -> list[str]:
    ranks = ", ".join(f"{s:.1f} %" for s in report.key_ranks)
    lines = [
        f"{report.questions} questions ({report.single} single, {report.multiple} multiple)",
        f"single-answer key by length rank (longest first): {ranks}",
        f"multiple-response keys' mean relative length rank: {report.multiple_mean_rank:.2f}",
        f"blind guessing: {report.blind:.1f} %",
    ]
    lines += [f"always {name}: {score:.1f} %" for name, score in report.strategies.items()]
    return lines


def main(argv: list[str]) -> int:
    questions = read_questions(argv or ["fixtures/bank"])
    report = length_cues(questions)
    print("\n".join(describe(report)))
    for problem in report.problems():
        print(f"PROBLEM: {problem}")
    for k1, k2, s in near_duplicates(questions):
        print(f"NEAR-DUPLICATE: {k1} ~ {k2} ({s:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
