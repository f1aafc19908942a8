"""Progress on stderr: bars on a terminal, a line per stage elsewhere, nothing when silenced."""
from __future__ import annotations

import kg.progress
from kg.progress import Stage, progress, progress_style


def test_the_style_follows_the_terminal_unless_chosen(monkeypatch):
    monkeypatch.delenv("KG_PROGRESS", raising=False)
    assert progress_style(False) == "off" and progress_style() == "lines"  # pytest's stderr is no terminal
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert progress_style() == "bars"
    monkeypatch.setenv("KG_PROGRESS", "off")
    assert progress_style() == "off"


def test_a_long_stage_writes_its_eta_and_a_last_line(monkeypatch, capsys):
    monkeypatch.setenv("KG_PROGRESS", "lines")
    monkeypatch.setattr(kg.progress, "LINE_INTERVAL", 0.0)
    assert list(progress(range(3), desc="entities", unit="doc")) == [0, 1, 2]
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 4 and lines[0].startswith("kg: entities: 1/3 docs in ") and ", ETA " in lines[0]
    assert lines[-1].startswith("kg: entities: 3 docs in ") and "ETA" not in lines[-1]


def test_bars_go_to_stderr_with_the_rate_and_nothing_when_silenced(monkeypatch, capsys):
    monkeypatch.setenv("KG_PROGRESS", "bars")
    with Stage("linking", total=2) as stage:
        stage.update(2)
    out, err = capsys.readouterr()
    assert not out and "linking" in err and "2/2" in err and "doc/s" in err
    with Stage("linking", total=2, show=False) as stage:
        stage.update(2)
    assert capsys.readouterr() == ("", "")


def test_a_failed_stage_writes_no_last_line(monkeypatch, capsys):
    monkeypatch.setenv("KG_PROGRESS", "lines")
    try:
        with Stage("writing"):
            raise OSError("disk full")
    except OSError:
        pass
    assert capsys.readouterr().err == ""
