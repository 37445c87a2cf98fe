"""The `dokvault` command on the embedded default."""

from typer.testing import CliRunner

from dokvault.cli import app
from tests import samples

runner = CliRunner()


def test_create_admin_then_import_a_folder(embedded, tmp_path):
    from dokvault.models import Role
    from dokvault.services import documents
    from dokvault.services.auth.accounts import authenticate

    result = runner.invoke(app, ["create-admin", "leder@example.no", "--name", "Leder"],
                           input="correct horse battery\ncorrect horse battery\n")
    assert result.exit_code == 0, result.output

    folder = tmp_path / "arkiv"
    (folder / "2026").mkdir(parents=True)
    samples.make_pdf(folder / "takst.pdf", [samples.TAKST])
    samples.make_text(folder / "2026" / "attest.md", samples.ENERGIATTEST)
    (folder / "program.exe").write_bytes(b"MZ\x90\x00")
    (folder / "tom.txt").write_bytes(b"")

    result = runner.invoke(app, ["import", str(folder), "--owner", "leder@example.no"])
    assert result.exit_code == 0, result.output
    assert "2 stored, 2 refused" in result.output
    assert "program.exe" in result.output and "not supported" in result.output

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
