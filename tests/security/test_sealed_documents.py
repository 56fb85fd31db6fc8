"""Generated documents at rest: sealed on an encrypted desk, readable by the app, plain only where asked."""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

import pytest

from agent_desk.cli import main
from agent_desk.core.errors import DomainError
from agent_desk.fill import LibreOfficeConverter, PdfConversionFailed
from agent_desk.services.agent_identity import save_with_id
from agent_desk.services.desk import Desk, open_desk
from agent_desk.services.intake import generate_case_documents
from agent_desk.services.printing import prepare_print
from agent_desk.services.vault import finish_encryption, remember_key, setup_password, unlock
from agent_desk.store.crypto import BLOB_MAGIC, BlobCipher, KdfParams, new_data_key
from agent_desk.store.datadir import DataDir
from agent_desk.store.models import Case
from agent_desk.store.sealed import (
    PLAIN_PREFIX,
    SEALED_MARK,
    DeskFilesLocked,
    SealedFileUnreadable,
    open_folder,
    plain_copy,
    read_file,
    remove_folder,
    scratch,
    seal_folder,
    sweep_stale,
    writer_for,
)
from tests.conftest import TODAY
from tests.security.casefiles import (
    AGENT,
    AGENT_SETTINGS,
    CATALOG,
    NAME,
    accepted_case,
    docx_text,
    make_documents,
    readable_leaks,
)
from tests.security.conftest import PASSWORD


def plain_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob(f"{PLAIN_PREFIX}*-{os.getpid()}-*")}


def test_documents_and_hand_over_list_are_sealed_and_still_read(secure_desk: Desk) -> None:
    case_id, id_number = accepted_case(secure_desk)
    paths = make_documents(secure_desk, case_id)
    assert len(paths) >= 3 and all(
        p.suffix == ".docx" and p.read_bytes().startswith(BLOB_MAGIC) for p in paths
    )
    assert readable_leaks(secure_desk.data.root, [NAME, id_number, "洛门村3组12号"]) == []
    texts = [docx_text(read_file(p, secure_desk.cipher)) for p in paths]
    assert all(NAME in t for t in texts) and any(id_number in t for t in texts)
    assert (secure_desk.data.documents / SEALED_MARK).exists()


def test_print_preview_on_an_encrypted_desk_leaves_no_plaintext(
    secure_desk: Desk, soffice: str
) -> None:
    case_id, id_number = accepted_case(secure_desk)
    docx = make_documents(secure_desk, case_id)[0]
    before = plain_folders()
    viewer = open_folder()
    try:
        offline = prepare_print(
            docx,
            LibreOfficeConverter(soffice="/nonexistent/soffice"),
            cipher=secure_desk.cipher,
            open_folder=viewer,
        )
        [opened] = offline.to_open
        assert (
            "LibreOffice" in offline.note and opened.parent == viewer
        )  # opened in Word/WPS from there
        assert NAME in docx_text(opened.read_bytes())
        with LibreOfficeConverter() as converter:
            printable = prepare_print(
                docx, converter, cipher=secure_desk.cipher, open_folder=viewer
            )
        [document] = printable.documents
        assert document.pdf.startswith(b"%PDF") and document.pages  # in memory
        assert (
            docx.with_suffix(".pdf").read_bytes().startswith(BLOB_MAGIC)
        )  # kept for next time, sealed
        assert readable_leaks(secure_desk.data.root, [NAME, id_number]) == []
        assert {p.name for p in secure_desk.data.documents.rglob("*")} & {"pdf", "pages"} == set()
        assert plain_folders() - before == {viewer.name}  # the scratch folders are gone
    finally:
        remove_folder(viewer)
    assert not viewer.exists()


def test_a_failed_conversion_still_removes_the_plain_copy(
    secure_desk: Desk, tmp_path: Path
) -> None:
    class Failing(LibreOfficeConverter):
        def convert(self, documents, out_dir):  # noqa: ANN001, ANN201
            seen.extend(Path(d) for d in documents)
            raise PdfConversionFailed("LibreOffice 未能转换", code="pdf_failed")

    seen: list[Path] = []
    docx = make_documents(secure_desk, accepted_case(secure_desk)[0])[0]
    with pytest.raises(PdfConversionFailed):
        prepare_print(
            docx,
            Failing(soffice=__file__),
            cipher=secure_desk.cipher,
            open_folder=tmp_path / "open",
        )
    assert seen
    assert all(
        not p.exists() and not p.parent.exists() for p in seen
    )  # decrypted input and its folder removed
    assert not seen[0].is_relative_to(secure_desk.data.root)


def test_plain_desk_keeps_writing_plain_documents(desk: Desk) -> None:
    case_id, _ = accepted_case(desk)
    paths = make_documents(desk, case_id)
    assert all(zipfile.is_zipfile(p) for p in paths) and NAME in docx_text(paths[0].read_bytes())
    printable = prepare_print(paths[0], None)
    assert printable.to_open == [paths[0]] and not printable.printable
    assert not (desk.data.documents / SEALED_MARK).exists()


def test_encrypting_an_existing_desk_seals_its_documents(data_home: Path) -> None:
    plain = open_desk(data_home)
    case_id, id_number = accepted_case(plain)
    paths = make_documents(plain, case_id)
    copies = [paths[0].with_suffix(".pdf"), paths[0].with_suffix(".pages") / "page-1.png"]
    copies[1].parent.mkdir()
    for copy in copies:
        copy.write_bytes(
            b"%PDF-1.4 " + NAME.encode() if copy.suffix == ".pdf" else b"\x89PNG" + NAME.encode()
        )
    (paths[0].parent / f".{paths[0].name}.x1.tmp").write_bytes(b"PK half written " + NAME.encode())
    plain.close()
    originals = {p: p.read_bytes() for p in paths}

    key = setup_password(DataDir(data_home), PASSWORD, params=KdfParams.light())
    data = DataDir(data_home)
    assert readable_leaks(data.documents, [NAME, id_number]) == []
    assert not any(c.exists() for c in copies) and not copies[1].parent.exists()
    assert {p: read_file(p, BlobCipher(key)) for p in paths} == originals
    sealed = {p: p.read_bytes() for p in paths}
    finish_encryption(data, key)  # at every unlock: nothing done twice
    assert {p: p.read_bytes() for p in paths} == sealed


def test_sealing_resumes_after_a_crash_and_never_seals_twice(tmp_path: Path) -> None:
    cipher = BlobCipher(new_data_key())
    root = tmp_path / "documents"
    files = [root / "DB1" / f"DB1-表{n}.docx" for n in range(4)]
    for n, path in enumerate(files):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"PK\x03\x04 form %d " % n + NAME.encode())
    plains = {p: p.read_bytes() for p in files}
    seal_folder(root, cipher)
    (
        root / SEALED_MARK
    ).unlink()  # as if the run stopped before its mark: two files sealed, two not
    files[2].write_bytes(plains[files[2]])
    files[3].write_bytes(plains[files[3]])
    assert seal_folder(root, cipher) == 2
    assert {p: read_file(p, cipher) for p in files} == plains
    assert seal_folder(root, cipher) == 0


def test_desk_encrypted_before_documents_were_sealed_gets_them_sealed_at_unlock(
    secure_desk: Desk,
) -> None:
    """A desk encrypted by an earlier version: scans sealed, documents still plain, no mark in documents/."""
    case_id, id_number = accepted_case(secure_desk)
    (secure_desk.data.documents / SEALED_MARK).unlink()
    with secure_desk.db.session() as session:
        out = generate_case_documents(
            case_id,
            CATALOG,
            AGENT,
            session=session,
            documents_dir=secure_desk.data.documents,
            today=TODAY,
        )  # the old way: no cipher
        session.commit()
    path = secure_desk.data.documents / out.documents[0].path
    assert zipfile.is_zipfile(path)
    secure_desk.close()
    data = DataDir(secure_desk.data.root)
    reopened = open_desk(data.root, key=unlock(data, PASSWORD))
    try:
        assert (
            path.read_bytes().startswith(BLOB_MAGIC)
            and readable_leaks(data.documents, [NAME, id_number]) == []
        )
        assert NAME in docx_text(read_file(path, reopened.cipher))
    finally:
        reopened.close()


def test_wrong_key_damage_or_locked_desk_give_a_clear_message(secure_desk: Desk) -> None:
    path = make_documents(secure_desk, accepted_case(secure_desk)[0])[0]
    with pytest.raises(SealedFileUnreadable, match="无法解密") as wrong:
        read_file(path, BlobCipher(new_data_key()))
    assert path.name in str(wrong.value) and "Traceback" not in str(wrong.value)
    raw = bytearray(path.read_bytes())
    raw[-5] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(SealedFileUnreadable, match="已损坏"):
        read_file(path, secure_desk.cipher)
    path.write_bytes(BLOB_MAGIC + b"short")
    with pytest.raises(SealedFileUnreadable):
        read_file(path, secure_desk.cipher)
    with pytest.raises(SealedFileUnreadable, match="解锁"):
        read_file(make_documents(secure_desk, accepted_case(secure_desk)[0])[0], None)
    with pytest.raises(DeskFilesLocked, match="解锁"):
        writer_for(secure_desk.data.documents, None)  # never a plain document on an encrypted desk


def test_fill_command_writes_plain_copies_only_where_the_user_asked(
    secure_desk: Desk, tmp_path: Path
) -> None:
    case_id, id_number = accepted_case(secure_desk)
    remember_key(secure_desk.data, unlock(secure_desk.data, PASSWORD))
    with secure_desk.db.session() as session:
        case_no = session.get(Case, case_id).case_no
    # the agent's ID number goes into the encrypted database, the rest into settings.json
    save_with_id(secure_desk, secure_desk.data.settings_file, AGENT_SETTINGS)
    secure_desk.close()
    out = tmp_path / "打印"
    assert main(["fill", "--case", case_no, "--out", str(out)]) == 0
    written = sorted(out.glob("*.docx"))
    assert written and all(zipfile.is_zipfile(p) for p in written)
    assert any(NAME in docx_text(p.read_bytes()) for p in written)
    assert readable_leaks(secure_desk.data.root, [NAME, id_number]) == []


def test_scratch_is_removed_on_error_and_stale_folders_at_the_next_start(tmp_path: Path) -> None:
    with pytest.raises(DomainError), scratch() as work:
        (work / "plain.docx").write_bytes(b"PK")
        raise DomainError("boom", code="test")
    assert not work.exists()
    live = Path(tempfile.mkdtemp(prefix=f"{PLAIN_PREFIX}open-{os.getpid()}-", dir=tmp_path))
    dead_pid = 2**22 + 12345  # above Linux's pid_max default: no such process
    dead = Path(tempfile.mkdtemp(prefix=f"{PLAIN_PREFIX}open-{dead_pid}-", dir=tmp_path))
    (dead / "申请表.docx").write_bytes(b"PK")
    other = tmp_path / "agentdesk-view-unrelated"
    other.mkdir()
    assert sweep_stale(tmp_path) == 1
    assert live.exists() and not dead.exists() and other.exists()


def test_opening_again_while_word_holds_the_copy(
    secure_desk: Desk, tmp_path: Path, monkeypatch
) -> None:
    path = make_documents(secure_desk, accepted_case(secure_desk)[0])[0]
    viewer = tmp_path / "open"
    first = plain_copy(path, secure_desk.cipher, viewer)
    assert plain_copy(path, secure_desk.cipher, viewer) == first  # the same copy, not written again
    first.write_bytes(b"edited in Word")
    real = Path.write_bytes

    def locked(self: Path, data: bytes) -> int:
        if self == first:
            raise PermissionError(13, "in use by another process")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", locked)
    second = plain_copy(path, secure_desk.cipher, viewer)
    assert second != first and second.name == first.name and second.is_relative_to(viewer)
    assert NAME in docx_text(second.read_bytes())
