"""The organisation as Vitec Megler and Microsoft 365 know it: staff (employees),
assignments (oppdrag) with the documents linked to them, Teams and their members, and
the record of every sync run."""

from datetime import datetime

from sqlalchemy import JSON, Index, LargeBinary
from sqlmodel import Field, SQLModel

from dokvault.models.base import utcnow


class Employee(SQLModel, table=True):
    """A person on Vitec's staff list. Linked to a DokVault user by e-mail (any case);
    one who disappeared from Vitec is inactive, never deleted."""

    id: int | None = Field(default=None, primary_key=True)
    vitec_id: str = Field(max_length=64, unique=True)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True,
                                  ondelete="SET NULL")
    name: str = Field(default="", max_length=200)
    title: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=320, index=True)  # lower case
    mobile_phone: str = Field(default="", max_length=64)
    work_phone: str = Field(default="", max_length=64)
    positions: list[int] = Field(default_factory=list, sa_type=JSON)
    has_picture: bool = False
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True,
                                ondelete="SET NULL")
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Picture(SQLModel, table=True):
    """A small JPEG of an employee or an office (at most 256 px), as Vitec has it."""

    owner_kind: str = Field(primary_key=True, max_length=16)  # "employee" or "office"
    owner_id: int = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)
    updated_at: datetime = Field(default_factory=utcnow)


class Assignment(SQLModel, table=True):
    """An assignment (oppdrag) from Vitec's estates: a property being sold by an office."""

    id: int | None = Field(default=None, primary_key=True)
    vitec_id: str = Field(max_length=64, unique=True)
    assignment_number: str = Field(default="", max_length=64, index=True)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True,
                                  ondelete="SET NULL")
    address: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=16)
    city: str = Field(default="", max_length=100)
    status: str = Field(default="", max_length=64)
    # Vitec ids of the brokers on it, with their roles: [{"employee": "ABCD", "role": 1}].
    brokers: list[dict] = Field(default_factory=list, sa_type=JSON)
    changed_at: datetime | None = None  # Vitec's last change, when it says
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DocumentAssignment(SQLModel, table=True):
    """A document linked to an assignment: found by its number or address in the text
    (`auto`), or chosen by a person (`manual`). One assignment per document."""

    __tablename__ = "document_assignment"

    document_id: int = Field(foreign_key="document.id", primary_key=True, ondelete="CASCADE")
    assignment_id: int = Field(foreign_key="assignment.id", index=True, ondelete="CASCADE")
    how: str = Field(default="manual", max_length=16)  # manual, number, address
    linked_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    linked_at: datetime = Field(default_factory=utcnow)


class Team(SQLModel, table=True):
    """A Microsoft 365 group with a team, and the office it is mapped to (optional)."""

    id: int | None = Field(default=None, primary_key=True)
    graph_id: str = Field(max_length=64, unique=True)
    name: str = Field(default="", max_length=256)
    mail: str = Field(default="", max_length=320)
    description: str = Field(default="", max_length=1000)
    office_id: int | None = Field(default=None, foreign_key="office.id", index=True,
                                  ondelete="SET NULL")
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_member"

    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    graph_user_id: str = Field(primary_key=True, max_length=64)
    name: str = Field(default="", max_length=256)
    email: str = Field(default="", max_length=320, index=True)  # lower case
    job_title: str = Field(default="", max_length=200)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    employee_id: int | None = Field(default=None, foreign_key="employee.id", ondelete="SET NULL")


class SyncRun(SQLModel, table=True):
    """One run of a sync with an outside system (`kind`: vitec, teams, later drives): who
    asked, how far it got, what it changed and what it left out, and why. The admin pages
    and the history of integrations read these."""

    __tablename__ = "sync_run"
    __table_args__ = (Index("ix_sync_run_kind_started", "kind", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    status: str = Field(default="queued", max_length=16)  # queued, running, done, failed
    trigger: str = Field(default="manual", max_length=16)  # manual, schedule
    requested_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    phase: str = Field(default="", max_length=32)  # what it is at: offices, employees, ...
    done: int = 0  # steps done of `total` (the progress bar)
    total: int = 0
    # {"created": n, "updated": n, "deactivated": n, "skipped": n, "unchanged": n}
    counts: dict = Field(default_factory=dict, sa_type=JSON)
    # The first rows left out and why: [{"what": "employee ABCD", "reason": "..."}].
    skipped: list[dict] = Field(default_factory=list, sa_type=JSON)
    # What went wrong without stopping the run (a page of results that failed), and what
    # stopped it: [{"what": ..., "error": ...}].
    errors: list[dict] = Field(default_factory=list, sa_type=JSON)
    incremental: bool = False
    # The instant up to which Vitec's changes are taken in (the next run asks after it).
    watermark: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
