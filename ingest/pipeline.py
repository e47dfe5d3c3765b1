"""Incremental, resumable ingest of every note, or (``only``) of the files a watcher saw change.

Commit protocol (why a kill -9 at any moment is repaired by the next run):
1. a ``dirty`` flag is set before the first write;
2. per batch: the sentences' vectors go into the content cache, then SQLite commits the
   files' rows in one transaction;
3. once every file is read: old vectors are deleted, new ones written to Chroma from the
   cache under deterministic ids (content hash in the id), in one pass (ingest.vectors);
4. BM25 is rebuilt from SQLite's tokens and swapped in atomically; ``dirty`` is cleared and
   the generation is published (bot.index.generation), which tells readers to reload.
A run that finds ``dirty`` set reconciles Chroma against SQLite first, then checks every file:
vectors no row owns are deleted, passages without vectors get them from the cache, and files
whose vectors the cache lacks are re-indexed.
A file that changes while it is read, or was saved less than ``settle`` seconds ago (a bot's
passes), keeps its old rows (``unsettled``): a later pass takes it whole.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from bot.core.models import Chunk
from bot.core.notes import ChunkingOptions, ParsedNote, content_hash, parse_note
from bot.core.reading import SkipFile, decode_note, read_bytes
from bot.index.embedders import Embedder
from bot.index.generation import publish, this_process
from bot.index.store import NotesStore
from bot.index.tokenizer import JapaneseTokenizer
from bot.index.vector_cache import VectorCache
from bot.index.vectors import ChromaVectors
from ingest.progress import ProgressReporter
from ingest.report import IngestReport, VectorIndexBroken, index_fingerprint, rebuild_reason
from ingest.scan import file_stamp, named_notes, relative_source, scan_notes
from ingest.upkeep import reconcile, record_papers, refresh_bm25
from ingest.vectors import VectorWriter

_WRITE_BATCH_CHUNKS = 32  # a commit and a progress step every ~5 s of embedding on 2 cores


@dataclass(slots=True)
class _Pending:
    file: dict
    note: ParsedNote


class Ingestor:
    def __init__(
        self,
        *,
        store: NotesStore,
        vectors: ChromaVectors,
        cache: VectorCache,
        embedder: Embedder,
        tokenizer: JapaneseTokenizer,
        data_dir: Path,
        options: ChunkingOptions,
        bm25_k1: float,
        bm25_b: float,
        max_bytes: int,
        progress: ProgressReporter,
        writer: str | None = None,
        settle: float = 0.0,
        release_models: bool = False,
    ) -> None:
        self._store = store
        self._vectors = vectors
        self._writer = VectorWriter(vectors=vectors, cache=cache, embedder=embedder)
        self._embedder = embedder
        self._tokenizer = tokenizer
        self._data_dir = data_dir
        self._options = options
        self._bm25_params = (bm25_k1, bm25_b)
        self._max_bytes = max_bytes
        self._progress = progress
        self.writer = writer or this_process()
        self._settle = settle
        self._release_models = release_models  # a one-shot ingest: memory over a reload

    @property
    def fingerprint(self) -> str:
        return index_fingerprint(self._options, self._embedder, self._tokenizer)

    def run(
        self, notes_dir: Path, *, rebuild: bool = False, only: Collection[str] | None = None
    ) -> IngestReport:
        """Index what changed under ``notes_dir``; ``only`` limits the pass to these sources
        (relative paths), unless the index needs a full check (rebuild, repair)."""
        started = time.perf_counter()
        report = IngestReport()
        self._writer.start()
        built_with = self._store.get_meta("fingerprint")
        if rebuild or built_with != self.fingerprint:
            report.rebuild_reason = rebuild_reason(rebuild, built_with, self.fingerprint)
            self._progress.message(f"rebuilding the index: {report.rebuild_reason}")
            self._reset()
            report.rebuilt, only = True, None
        elif problem := self._vectors.probe():
            # Writing into an index that cannot be read would hide the damage: stop, say how.
            raise VectorIndexBroken(
                f"the vector index cannot be read ({problem}); `notesbot ingest --rebuild` "
                "rebuilds it from the notes"
            )
        elif self._store.get_meta("dirty") == "1":
            report.repaired = reconcile(self._store, self._vectors, self._writer)
            only = None  # what the interrupted run left half-done may be anywhere
        self._store.set_meta("dirty", "1")
        if only is None:  # a full pass says whose notes these are (bot.app.live checks it)
            self._store.set_meta("notes_dir", str(notes_dir.resolve()))
        files = scan_notes(notes_dir) if only is None else named_notes(notes_dir, only)
        self._progress.start(len(files))
        try:
            seen = self._index_files(notes_dir, files, report)
            self._remove_missing(seen, report, within=only)
            self._store_vectors()
            if report.indexed or report.removed or report.repaired:
                self._writer.prune(self._store)
            k1, b = self._bm25_params
            refresh_bm25(self._store, self._data_dir, stamp=self.bm25_stamp(), k1=k1, b=b)
            record_papers(self._store)
        finally:
            self._progress.finish()
        self._store.set_meta("dirty", "0")
        publish(self._store, self.writer)
        report.chunks = self._store.count_chunks()
        report.seconds = time.perf_counter() - started
        return report

    def _reset(self) -> None:
        self._vectors.reset()
        self._writer.reset()
        self._store.clear()
        self._store.set_meta("fingerprint", self.fingerprint)
        self._store.set_meta("embedder", self._embedder.name)  # whose vectors answers compare

    def _index_files(self, root: Path, files: list[Path], report: IngestReport) -> set[str]:
        known = self._store.file_hashes()
        seen: set[str] = set()
        pending: list[_Pending] = []
        for path in files:
            source = relative_source(path, root)
            note = self._prepare(path, source, known.get(source), report)
            if note is not False:
                seen.add(source)
            if isinstance(note, _Pending):
                pending.append(note)
                if sum(len(p.note.chunks) for p in pending) >= _WRITE_BATCH_CHUNKS:
                    self._write(pending, report)
                    pending = []
            elif note is not False:
                self._progress.advance(1, source)
        self._write(pending, report)
        return seen

    def _prepare(self, path: Path, source: str, known_hash: str | None, report: IngestReport):
        """A _Pending to write, True if unchanged, None if skipped but kept, False if dropped."""
        try:
            before, now = path.stat(), time.time()
            data = read_bytes(path, max_bytes=self._max_bytes)
            settling = now - before.st_mtime < self._settle
            moved = file_stamp(path.stat()) != file_stamp(before) or settling
        except FileNotFoundError:
            return False  # removed since the scan: its deletion is the change to index
        except SkipFile as exc:
            if not path.exists():
                return False
            return self._skip(source, str(exc), report, keep=str(exc).startswith("unreadable"))
        if moved:  # still being written: keep what was indexed, a later pass takes it whole
            report.unsettled.append(source)
            self._progress.advance(1, source)
            return None
        hashed = content_hash(data)
        if hashed == known_hash:
            report.unchanged += 1
            return True
        try:
            text = decode_note(data)
            note = parse_note(source, text.text, options=self._options, content_hash=hashed)
        except SkipFile as exc:
            return self._skip(source, str(exc), report, keep=False)
        except Exception as exc:
            return self._skip(
                source, f"could not parse ({exc.__class__.__name__}: {exc})", report, keep=False
            )
        if not note.chunks:
            return self._skip(source, "no text to index", report, keep=False)
        for warning in [text.warning, *note.warnings]:
            if warning:  # read anyway: one line each, the ingest goes on
                report.warnings.append((source, warning))
                self._progress.message(f"warning {source}: {warning}")
        file = {
            "source": source, "content_hash": hashed, "size": len(data), "encoding": text.encoding
        }
        return _Pending(file, note)

    def _skip(self, source: str, reason: str, report: IngestReport, *, keep: bool):
        report.skipped.append((source, reason))
        self._progress.message(f"skipped {source}: {reason}")
        self._progress.advance(1, source)
        return None if keep else False

    def _write(self, pending: list[_Pending], report: IngestReport) -> None:
        if not pending:
            return
        chunks: list[Chunk] = [c for p in pending for c in p.note.chunks]
        tokens = [self._tokenizer.tokenize(chunk.text) for chunk in chunks]
        self._progress.embedded(self._writer.embed(chunks))
        new_ids = {chunk.id for chunk in chunks}
        stale = [
            cid
            for p in pending
            for cid in self._store.chunk_ids(p.file["source"])
            if cid not in new_ids
        ]
        self._writer.discard(stale)
        rows, offset = [], 0
        for p in pending:
            count = len(p.note.chunks)
            rows.append((p.file, p.note.chunks, tokens[offset : offset + count], p.note.mentions))
            offset += count
        self._store.replace_files(rows)
        for p in pending:
            report.indexed.append(p.file["source"])
            self._progress.advance(1, p.file["source"])

    def _remove_missing(
        self, seen: set[str], report: IngestReport, *, within: Collection[str] | None
    ) -> None:
        gone = set(self._store.file_hashes()) - seen
        gone = sorted(gone if within is None else gone & set(within))
        if not gone:
            return
        self._writer.discard(cid for source in gone for cid in self._store.chunk_ids(source))
        self._store.remove_files(gone)
        report.removed.extend(gone)

    def _store_vectors(self) -> None:
        """Step 3: the notes are read, so a one-shot ingest lets the models go before the
        vector index grows in memory."""
        if self._writer.pending and self._release_models:
            self._embedder.release()
            self._tokenizer.release()
        self._writer.store(self._progress.message)

    def bm25_stamp(self) -> str:
        k1, b = self._bm25_params
        return f"{self._store.generation}:{k1}:{b}:{self._tokenizer.version}"

