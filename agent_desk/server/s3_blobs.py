"""Attachments in S3-compatible object storage (MinIO, Ceph RGW, a cloud store), so several hub hosts
share one store. Same content-addressed keys as the local store: ``objects/ab/abcd…``.

A desk uploads a scan in chunks of up to 4 MB and resumes at the hub's offset; S3 multipart parts
must be at least 5 MB (but the last), so chunks gather in a ``tail`` object until a part is full.
A small ``state`` object per partial upload names the multipart upload and its parts; it is written
last, so after a crash the state is never ahead of the data (extra tail bytes are cut off at the next
chunk). The finished upload is completed into a ``staged`` object, checked, then copied into place.
A ``note`` object beside them is kept for a wrapping store (``SealedBlobStore``: sizes only).
The upload lock of a key is a PostgreSQL advisory lock when the hub runs on PostgreSQL (shared by
every worker on every host), a thread lock otherwise (a SQLite hub is one process).
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, BinaryIO

from sqlalchemy import Engine, text

PART_MIN = 5 * 1024 * 1024


class S3BlobStore:
    def __init__(
        self, client: Any, bucket: str, *, prefix: str = "", engine: Engine | None = None
    ) -> None:
        self.client, self.bucket, self.prefix, self.engine = client, bucket, prefix, engine
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    # -- finished objects ------------------------------------------------------------------------------
    def _object(self, key: str) -> str:
        return f"{self.prefix}objects/{key[:2]}/{key}"

    def _get(self, name: str) -> bytes | None:
        try:
            return bytes(self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read())
        except self.client.exceptions.NoSuchKey:
            return None

    def exists(self, key: str) -> bool:
        return self.size(key) is not None

    def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            return int(
                self.client.head_object(Bucket=self.bucket, Key=self._object(key))["ContentLength"]
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def open(self, key: str) -> BinaryIO:
        data = self._get(self._object(key))
        if data is None:
            raise FileNotFoundError(key)
        return io.BytesIO(data)  # scans are at most 20 MB

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._object(key), Body=data)

    def read(self, key: str, offset: int, length: int) -> bytes:
        if length <= 0:
            return b""
        answer = self.client.get_object(
            Bucket=self.bucket, Key=self._object(key), Range=f"bytes={offset}-{offset + length - 1}"
        )
        return bytes(answer["Body"].read())

    # -- partial uploads -------------------------------------------------------------------------------
    def _partial(self, part: str, name: str) -> str:
        return f"{self.prefix}partial/{part}/{name}"

    def _state(self, part: str) -> dict[str, Any]:
        raw = self._get(self._partial(part, "state"))
        return (
            json.loads(raw)
            if raw
            else {"upload": None, "parts": [], "done": 0, "tail": 0, "staged": False}
        )

    def _save(self, part: str, state: dict[str, Any]) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=self._partial(part, "state"), Body=json.dumps(state).encode()
        )

    def partial_size(self, part: str) -> int:
        if self.partial_note(part) is not None:
            return 0  # sealed records written while the hub had a blob key: start again
        return self.stored_partial_size(part)

    def stored_partial_size(self, part: str) -> int:
        state = self._state(part)
        return int(state["done"] + state["tail"])

    def append_partial(self, part: str, offset: int, data: bytes) -> int:
        if offset == 0 and self.partial_note(part) is not None:
            self.discard_partial(part)
        state = self._state(part)
        if not state["done"] <= offset <= state["done"] + state["tail"] or state["staged"]:
            raise ValueError(f"cannot write at {offset} of a partial upload")
        kept = (self._get(self._partial(part, "tail")) or b"")[: offset - state["done"]]
        tail = kept + data
        if len(tail) >= PART_MIN:
            self._upload_part(part, state, tail)
            tail = b""
        if tail or kept:
            self.client.put_object(Bucket=self.bucket, Key=self._partial(part, "tail"), Body=tail)
        state["tail"] = len(tail)
        self._save(part, state)
        return offset + len(data)

    def _upload_part(self, part: str, state: dict[str, Any], data: bytes) -> None:
        staged = self._partial(part, "staged")
        if state["upload"] is None:
            state["upload"] = self.client.create_multipart_upload(Bucket=self.bucket, Key=staged)[
                "UploadId"
            ]
        number = len(state["parts"]) + 1
        answer = self.client.upload_part(
            Bucket=self.bucket, Key=staged, UploadId=state["upload"], PartNumber=number, Body=data
        )
        state["parts"].append({"PartNumber": number, "ETag": answer["ETag"]})
        state["done"] += len(data)

    def _stage(self, part: str) -> None:
        """Complete the multipart upload (the tail as its last part) into the ``staged`` object."""
        state = self._state(part)
        if state["staged"]:
            return
        tail = (self._get(self._partial(part, "tail")) or b"")[: state["tail"]]
        staged = self._partial(part, "staged")
        if state["upload"] is None:
            self.client.put_object(Bucket=self.bucket, Key=staged, Body=tail)
        else:
            if tail:
                self._upload_part(part, state, tail)
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=staged,
                UploadId=state["upload"],
                MultipartUpload={"Parts": state["parts"]},
            )
        state.update(
            staged=True, done=state["done"] + (len(tail) if state["upload"] is None else 0), tail=0
        )
        self._save(part, state)

    def partial_sha256(self, part: str) -> str:
        self._stage(part)
        body = self.client.get_object(Bucket=self.bucket, Key=self._partial(part, "staged"))["Body"]
        digest = hashlib.sha256()
        for chunk in iter(lambda: body.read(1 << 20), b""):
            digest.update(chunk)
        return digest.hexdigest()

    def read_partial(self, part: str) -> bytes:
        self._stage(part)
        body = self.client.get_object(Bucket=self.bucket, Key=self._partial(part, "staged"))["Body"]
        return body.read()  # type: ignore[no-any-return]

    def promote_partial(self, part: str, key: str) -> None:
        self._stage(part)
        source = {"Bucket": self.bucket, "Key": self._partial(part, "staged")}
        self.client.copy(
            source, self.bucket, self._object(key)
        )  # managed copy: multipart when large
        self.discard_partial(part)

    def discard_partial(self, part: str) -> None:
        state = self._state(part)
        if state["upload"] is not None and not state["staged"]:
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=self._partial(part, "staged"), UploadId=state["upload"]
            )
        for name in ("staged", "tail", "state", "note"):
            self.client.delete_object(Bucket=self.bucket, Key=self._partial(part, name))

    def partial_note(self, part: str) -> bytes | None:
        return self._get(self._partial(part, "note"))

    def set_partial_note(self, part: str, note: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._partial(part, "note"), Body=note)

    # -- the upload lock -------------------------------------------------------------------------------
    def lock(self, key: str) -> AbstractContextManager[Any]:
        if self.engine is not None and self.engine.dialect.name == "postgresql":
            return _advisory_lock(self.engine, key)
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())


@contextmanager
def _advisory_lock(engine: Engine, key: str) -> Iterator[None]:
    """A session advisory lock: every worker process on every hub host waits for the same key."""
    number = int(hashlib.sha256(f"agent-desk-upload:{key}".encode()).hexdigest()[:15], 16)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("select pg_advisory_lock(:n)"), {"n": number})
        try:
            yield
        finally:
            conn.execute(text("select pg_advisory_unlock(:n)"), {"n": number})


def s3_client(
    endpoint: str | None, region: str, access_key: str | None, secret_key: str | None
) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint or None,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 5}),
    )
