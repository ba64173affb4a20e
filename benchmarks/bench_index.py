"""Benchmark: what the lesson index (``kg.store.lessonindex``) adds to a build.

    python benchmarks/bench_index.py [--records N] [--repeat K]

N synthetic records (``synthetic``) are read and mapped as a build maps them; then,
side by side and per record, the median over K runs of: mapping the record (what the
build does anyway), making its lesson index row
(``kg.load.pipeline.index_row``), and writing the rows
to a lesson index on disk (``LessonIndex.add`` and ``commit``). It prints figures; it
asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench_build import add_profile_argument, say


def main(argv: list[str] | None = None) -> int:
    from synthetic import write_corpus

    from kg.ingest.reader import read_file
    from kg.load.build import MAPPING_VERSION
    from kg.load.pipeline import Job, RecordMapper, index_row
    from kg.store.lessonindex import LessonIndex

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    add_profile_argument(parser)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="evalkg-bench-index-") as tmp:
        corpus = Path(tmp) / "corpus"
        write_corpus(corpus, args.records, profile=args.profile)
        records = [r for path in sorted(corpus.rglob("*.txt")) for r in read_file(path)]
        job = Job("https://w3id.org/evalkg/id/", "2026-01-01T00:00:00Z", MAPPING_VERSION, {})
        mapper = RecordMapper(job).mapper
        times: dict[str, list[float]] = {"map": [], "row": [], "write": []}
        for k in range(args.repeat):
            start = time.perf_counter()
            mapped = [mapper.map(record) for record in records]
            times["map"].append(time.perf_counter() - start)
            start = time.perf_counter()
            rows = [index_row(r, m) for r, m in zip(records, mapped, strict=True)]
            times["row"].append(time.perf_counter() - start)
            index = LessonIndex(Path(tmp) / f"lessons-{k}.sqlite")
            index.start(empty_store=True)
            start = time.perf_counter()
            for n, row in enumerate(rows):
                index.add(f"urn:graph:{n}", row)
            index.commit()
            times["write"].append(time.perf_counter() - start)
    n = len(records)
    per = {key: statistics.median(values) / n * 1000 for key, values in times.items()}
    say(f"lesson index cost, {n:,} synthetic records, median of {args.repeat} (ms per record):")
    say(f"  mapping the record (done anyway) {per['map']:.3f}")
    say(f"  making its index row             {per['row']:.3f}")
    say(f"  writing the row (SQLite)         {per['write']:.3f}")
    say(f"  index / mapping                  {(per['row'] + per['write']) / per['map']:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
