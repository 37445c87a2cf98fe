"""The `dokvault` command on the embedded default."""

from sqlmodel import select
from typer.testing import CliRunner

from dokvault import cli, db
from dokvault.cli import app
from dokvault.models import Document
from tests import samples

runner = CliRunner()


def test_create_admin_then_import_a_folder(embedded, tmp_path, monkeypatch):
    from dokvault.models import Role
    from dokvault.services import documents
    from dokvault.services.auth.accounts import authenticate

    result = runner.invoke(app, ["create-admin", "leder@example.no", "--name", "Leder"],
                           input="correct horse battery\ncorrect horse battery\n")
    assert result.exit_code == 0, result.output

    folder = tmp_path / ("arkiv-med-et-langt-navn-som-ikke-får-brytes-over-to-linjer-" * 2)
    (folder / "2026").mkdir(parents=True)
    samples.make_pdf(folder / "takst.pdf", [samples.TAKST])
    samples.make_text(folder / "2026" / "attest.md", samples.ENERGIATTEST)
    (folder / "program.exe").write_bytes(b"MZ\x90\x00")
    (folder / "tom.txt").write_bytes(b"")

    monkeypatch.setattr(cli.console, "width", 60)  # a narrow terminal breaks no path
    result = runner.invoke(app, ["import", str(folder), "--owner", "leder@example.no"])
    assert result.exit_code == 0, result.output
    assert "2 stored, 0 already imported, 2 refused" in result.output
    assert f"{folder / 'program.exe'}: " in result.output and "not supported" in result.output

    from dokvault import db

    with db.session() as s:
        user = authenticate(s, "leder@example.no", "correct horse battery")
    assert user is not None and user.role == Role.ADMIN
    rows, total = documents.list_documents(user)
    assert total == 2 and {r.status for r in rows} == {"ready"}


def test_create_admin_refuses_a_short_password(embedded):
    result = runner.invoke(app, ["create-admin", "x@example.no"], input="kort\nkort\n")
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output


def test_create_user_with_a_role(embedded):
    from dokvault.services import admin

    result = runner.invoke(app, ["create-user", "megler@example.no", "--role", "broker",
                                 "--password", "megler passord 2024"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["create-user", "x@example.no", "--role", "king",
                                 "--password", "megler passord 2024"])
    assert result.exit_code == 2
    assert admin.emails_by_id() == {1: "megler@example.no"}


def test_import_needs_a_known_owner(embedded, tmp_path):
    result = runner.invoke(app, ["import", str(tmp_path), "--owner", "ingen@example.no"])
    assert result.exit_code == 2
    assert "No user" in result.output


def _folder(tmp_path, n: int):
    folder = tmp_path / "arkiv"
    folder.mkdir(exist_ok=True)
    for i in range(n):
        samples.make_text(folder / f"{i}.txt", f"{samples.TAKST}\nnummer {i}")
    return folder


def _statuses(admin) -> list[str]:
    from dokvault.services import documents

    rows, _total = documents.list_documents(admin)
    return sorted(r.status for r in rows)


def test_import_run_again_skips_what_is_stored_and_imports_the_rest(admin, tmp_path):
    folder = _folder(tmp_path, 2)
    result = runner.invoke(app, ["import", str(folder), "--owner", admin.email])
    assert "2 stored, 0 already imported, 0 refused" in result.output, result.output
    samples.make_text(folder / "ny.txt", samples.ENERGIATTEST)
    result = runner.invoke(app, ["import", str(folder), "--owner", admin.email])
    assert result.exit_code == 0, result.output
    assert "1 stored, 2 already imported, 0 refused" in result.output
    assert _statuses(admin) == ["ready"] * 3


def test_import_with_storage_away_stops_with_one_line_and_resumes(admin, tmp_path, monkeypatch):
    import urllib3.exceptions

    from dokvault.storage.objects import get_object_store

    folder = _folder(tmp_path, 3)
    store = get_object_store()
    real_put, puts = store.put_file, []

    def put(key, path, content_type):
        puts.append(key)
        if len(puts) > 1:
            raise urllib3.exceptions.MaxRetryError(None, key, ConnectionRefusedError())
        real_put(key, path, content_type)

    monkeypatch.setattr(store, "put_file", put)
    monkeypatch.setattr(cli, "IMPORT_PATIENCE_S", 0)  # away for longer than the import waits
    result = runner.invoke(app, ["import", str(folder), "--owner", admin.email])
    assert result.exit_code == 1
    [stopped] = [line for line in result.output.splitlines() if "Import stopped" in line]
    assert "the object store is unreachable (MaxRetryError)" in stopped
    assert "Traceback" not in result.output and len(result.output.splitlines()) < 6
    monkeypatch.undo()  # the store is back

    result = runner.invoke(app, ["import", str(folder), "--owner", admin.email])
    assert "2 stored, 1 already imported" in result.output, result.output
    assert _statuses(admin) == ["ready"] * 3


def test_import_rides_out_a_short_outage_and_leaves_no_object_without_a_row(admin, tmp_path,
                                                                           monkeypatch):
    import sqlalchemy.exc
    import urllib3.exceptions

    from dokvault.services.documents import intake
    from dokvault.storage.objects import get_object_store
    from tests.unit.helpers import files_under

    store = get_object_store()
    real_put, real_insert, puts, inserts = store.put_file, intake._insert_row, [], []

    def put(key, path, content_type):  # the second file: the store is away once
        puts.append(key)
        if len(puts) == 2:
            raise urllib3.exceptions.MaxRetryError(None, key, ConnectionRefusedError())
        real_put(key, path, content_type)

    def insert(*args):  # the third file: the database goes away after its object is stored
        inserts.append(1)
        if len(inserts) == 3:
            raise sqlalchemy.exc.OperationalError("COMMIT", {}, ConnectionRefusedError())
        return real_insert(*args)

    monkeypatch.setattr(store, "put_file", put)
    monkeypatch.setattr(intake, "_insert_row", insert)
    # ... and is still away when its object's row is looked for: the object is unsettled.
    monkeypatch.setattr(intake, "_drop_if_unclaimed", lambda key: False)
    result = runner.invoke(app, ["import", str(_folder(tmp_path, 3)), "--owner", admin.email])
    assert result.exit_code == 0, result.output
    assert "unreachable" in result.output and "3 stored, 0 already imported" in result.output
    assert _statuses(admin) == ["ready"] * 3
    with db.session() as s:
        keys = {d.object_key for d in s.exec(select(Document)).all()}
    originals = {str(p.relative_to(store.root)) for p in files_under(store.root)
                 if p.suffix == ".txt"}
    assert originals == keys  # the unsettled object of the failed insert was deleted


def test_import_with_the_database_away_says_so(admin, tmp_path, monkeypatch):
    import sqlalchemy.exc

    from dokvault.services import documents

    def down(*args):
        raise sqlalchemy.exc.OperationalError("SELECT", {}, ConnectionRefusedError())

    monkeypatch.setattr(documents, "already_stored", down)
    monkeypatch.setattr(cli, "IMPORT_PATIENCE_S", 0)
    result = runner.invoke(app, ["import", str(_folder(tmp_path, 1)), "--owner", admin.email])
    assert result.exit_code == 1
    assert "Import stopped: the database is unreachable (OperationalError)" in result.output


def test_import_with_the_broker_away_leaves_documents_uploaded_said_once(admin, tmp_path,
                                                                        monkeypatch, caplog):
    import redis.exceptions

    from dokvault.core import jobs
    from dokvault.services.documents import intake

    def down(*args):
        raise redis.exceptions.ConnectionError("Connection refused")

    monkeypatch.setattr(intake, "_queue_down", False)
    monkeypatch.setattr(jobs, "send", down)
    result = runner.invoke(app, ["import", str(_folder(tmp_path, 3)), "--owner", admin.email,
                                 "--no-wait"])
    assert result.exit_code == 0, result.output
    assert "3 stored" in result.output
    assert _statuses(admin) == ["uploaded"] * 3  # pending: the sweep sends them
    assert len([r for r in caplog.records if "could not queue" in r.getMessage()]) == 1
