"""PDF conversion: LibreOffice found wherever it is, one soffice start per batch, the converter chain, a clear message without any."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from agent_desk.fill import (
    ConverterChain,
    LibreOfficeConverter,
    OfficeComConverter,
    PdfUnavailable,
    find_soffice,
)
from agent_desk.fill import pdf as pdf_module


def test_without_libreoffice_the_message_is_clear(tmp_path: Path) -> None:
    converter = LibreOfficeConverter(soffice="/nonexistent/soffice")
    assert not converter.available
    with pytest.raises(PdfUnavailable, match="未找到 LibreOffice"):
        converter.convert([tmp_path / "a.docx"], tmp_path)


def fake_soffice(calls: list[list[str]]):
    """Stands in for subprocess.run: records the command and writes the PDFs soffice would."""

    def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
        calls.append(command)
        outdir = Path(command[command.index("--outdir") + 1])
        for arg in command[command.index("--outdir") + 2 :]:
            (outdir / f"{Path(arg).stem}.pdf").write_bytes(b"%PDF-1.7 fake")
        return subprocess.CompletedProcess(command, 0)

    return run


def test_one_soffice_start_for_a_whole_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(subprocess, "run", fake_soffice(calls))
    docs = [tmp_path / f"form{n}.docx" for n in range(5)] + [tmp_path / "sub" / "form0.docx"]
    with LibreOfficeConverter(soffice=__file__) as converter:
        pdfs = converter.convert(docs, tmp_path / "pdf")
    assert len(calls) == 2  # the two form0.docx need separate calls, everything else shares one
    assert [p.name for p in pdfs] == [f"form{n}.pdf" for n in range(5)] + ["form0.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert all("-env:UserInstallation=file://" in call[1] for call in calls)


def test_real_conversion(catalog, soffice: str, tmp_path: Path) -> None:
    from agent_desk.fill import build_context, render
    from agent_desk.fill.demo import DEMO_TODAY, demo_agent, demo_case, demo_client, demo_manual

    item = catalog.item("62052400MZ-JF-0003")
    docs = []
    for form in (item.forms[0], catalog.common_forms["receipt"]):
        context = build_context(
            item, form, demo_client(), demo_case(item), demo_agent(), demo_manual(form), DEMO_TODAY
        )
        docs.append(tmp_path / f"{form.id}.docx")
        render(catalog.template_path(form), context, docs[-1])
    with LibreOfficeConverter() as converter:
        pdfs = converter.convert(docs, tmp_path / "pdf")
    assert [p.name for p in pdfs] == ["application.pdf", "receipt.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") and p.stat().st_size > 5000 for p in pdfs)


class Fake:
    """A converter that is or is not installed, and records what it was asked to convert."""

    def __init__(self, name: str, available: bool) -> None:
        self.name, self.available, self.calls = name, available, []

    def convert(self, documents, out_dir):  # noqa: ANN001, ANN201
        self.calls.append(list(documents))
        return [Path(out_dir) / f"{Path(d).stem}.pdf" for d in documents]

    def close(self) -> None:
        pass


def test_the_chain_uses_libreoffice_when_it_is_installed(soffice: str) -> None:
    with ConverterChain() as chain:
        assert chain.available and chain.name == "LibreOffice"
        assert isinstance(chain.chosen, LibreOfficeConverter) and chain.chosen.soffice == soffice


def test_the_chain_takes_the_first_converter_the_pc_has(tmp_path: Path) -> None:
    missing, wps, word = (
        Fake("LibreOffice", False),
        Fake("WPS Office", True),
        Fake("Microsoft Word", True),
    )
    chain = ConverterChain([missing, wps, word])
    chain.convert([tmp_path / "告知书.docx"], tmp_path)
    assert chain.name == "WPS Office" and wps.calls and not missing.calls and not word.calls


def test_with_no_converter_the_message_names_what_to_install(tmp_path: Path) -> None:
    chain = ConverterChain([Fake("LibreOffice", False), Fake("WPS Office", False)])
    with pytest.raises(PdfUnavailable) as raised:
        chain.convert([tmp_path / "a.docx"], tmp_path)
    assert (
        not chain.available and "请安装" in str(raised.value) and "LibreOffice" in str(raised.value)
    )
    windows = str(PdfUnavailable(platform="win32"))
    assert all(name in windows for name in ("WPS Office", "Microsoft Word", "LibreOffice"))


def test_wps_and_word_through_com_are_unavailable_off_windows(tmp_path: Path) -> None:
    """The COM converter runs only on Windows (CI workflow); here it must say so, not crash."""
    converter = OfficeComConverter("KWPS.Application")
    assert not converter.available and converter.name == "WPS Office"
    with pytest.raises(PdfUnavailable, match="WPS Office"):
        converter.convert([tmp_path / "a.docx"], tmp_path)


def test_libreoffice_is_found_on_another_drive_and_through_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_module.shutil, "which", lambda _name: None)
    drive = tmp_path / "D"
    exe = drive / "Program Files" / "LibreOffice 7" / "program" / "soffice.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"MZ")
    monkeypatch.setattr(pdf_module, "_registry_candidates", lambda: [])
    monkeypatch.setattr(pdf_module, "_drives", lambda: [str(tmp_path / "C"), str(drive)])
    assert find_soffice(windows=True) == str(exe)
    registered = tmp_path / "E" / "Apps" / "LO" / "program" / "soffice.exe"
    registered.parent.mkdir(parents=True)
    registered.write_bytes(b"MZ")
    monkeypatch.setattr(pdf_module, "_registry_candidates", lambda: [str(registered)])
    assert find_soffice(windows=True) == str(registered)  # the registry's answer comes first
    assert find_soffice(windows=False) is None
