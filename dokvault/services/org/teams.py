"""Microsoft Teams: the Teams-backed groups and their members, synced from Graph like
Vitec (a run on the `integrations` queue, nightly and on demand, with progress and a
summary); members linked to users and staff by e-mail; a team mapped to an office."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import col, func, select

from dokvault import db
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.integrations import microsoft
from dokvault.integrations.microsoft import GraphClient, GraphError
from dokvault.models import Employee, Office, SyncRun, Team, TeamMember, User
from dokvault.models.base import utcnow
from dokvault.services.access import Forbidden, require_admin
from dokvault.services.org.runs import Progress, SyncFailed

log = logging.getLogger(__name__)
MEMBER_CONCURRENCY = 4


def missing_settings() -> list[str]:
    return microsoft.missing_settings()


async def test_connection() -> int:
    """A token and the first page of teams: how many teams the app may see."""
    credentials = microsoft.configured_credentials()
    if credentials is None:
        raise GraphError("microsoft.not_configured", "missing: " + ", ".join(missing_settings()))
    async with GraphClient(credentials, max_retries=1, max_wait=5.0, timeout=15.0) as graph:
        return len([t async for t in graph.teams()])


def run(sync_run: SyncRun, progress: Progress) -> None:
    credentials = microsoft.configured_credentials()
    if credentials is None:
        raise SyncFailed("microsoft.not_configured", "missing: " + ", ".join(missing_settings()))
    asyncio.run(_sync(credentials, progress))


def _email(entry: dict) -> str:
    for key in ("mail", "userPrincipalName"):
        value = entry.get(key)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()[:320]
    return ""


async def _sync(credentials: microsoft.Credentials, progress: Progress) -> None:
    async with GraphClient(credentials) as graph:
        try:
            groups = [g async for g in graph.teams()]
        except GraphError as exc:
            raise SyncFailed(exc.code, exc.detail) from None
        teams = save_teams(groups, progress)
        progress.start_phase("members", len(teams))
        gate = asyncio.Semaphore(MEMBER_CONCURRENCY)

        async def fetch(team_id: int, graph_id: str):
            async with gate:
                try:
                    return team_id, graph_id, await graph.members(graph_id)
                except GraphError as exc:
                    return team_id, graph_id, exc

        for next_team in asyncio.as_completed([fetch(t, g) for t, g in teams]):
            team_id, graph_id, members = await next_team
            if isinstance(members, GraphError):
                progress.error(f"members of team {graph_id}", members.detail)
            else:
                save_members(team_id, members, progress)
            progress.step()


def save_teams(groups: list[dict], progress: Progress) -> list[tuple[int, str]]:
    """Upsert the teams; those Graph no longer lists become inactive."""
    progress.start_phase("teams", len(groups))
    now = utcnow()
    kept: list[tuple[int, str]] = []
    with db.session() as s:
        existing = {t.graph_id: t for t in s.exec(select(Team)).all()}
        for group in groups:
            graph_id = group.get("id")
            name = group.get("displayName")
            if not isinstance(graph_id, str) or not graph_id or not isinstance(name, str):
                progress.skip("teams", f"group {graph_id!s:.40}", "no id or name")
                continue
            values = {"name": name[:256], "mail": (group.get("mail") or "")[:320],
                      "description": (group.get("description") or "")[:1000], "is_active": True}
            team = existing.get(graph_id)
            if team is None:
                team = Team(graph_id=graph_id, **values)
                progress.count("teams", "created")
            elif any(getattr(team, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(team, key, value)
                team.updated_at = now
                progress.count("teams", "updated")
            else:
                progress.count("teams", "unchanged")
            s.add(team)
            s.flush()
            kept.append((team.id, graph_id))
        seen = {g for _, g in kept}
        if kept:
            gone = [t for g, t in existing.items() if g not in seen and t.is_active]
            for team in gone:
                team.is_active, team.updated_at = False, now
                s.add(team)
            progress.count("teams", "deactivated", len(gone))
        s.commit()
    progress.step(len(groups))
    return kept


def save_members(team_id: int, members: list[dict], progress: Progress) -> None:
    """The team's members as Graph lists them now, linked by e-mail."""
    with db.session() as s:
        users = dict(s.exec(select(User.email, User.id)).all())
        staff = dict(s.exec(select(Employee.email, Employee.id).where(Employee.email != "")).all())
        before = {m.graph_user_id for m in s.exec(select(TeamMember).where(
            TeamMember.team_id == team_id)).all()}
        s.exec(delete(TeamMember).where(col(TeamMember.team_id) == team_id))
        now_ids = set()
        for member in members:
            graph_user = member.get("id")
            if not isinstance(graph_user, str) or not graph_user or graph_user in now_ids:
                progress.skip("members", f"member {graph_user!s:.40}", "no id, or listed twice")
                continue
            now_ids.add(graph_user)
            email = _email(member)
            s.add(TeamMember(team_id=team_id, graph_user_id=graph_user[:64],
                             name=str(member.get("displayName") or "")[:256], email=email,
                             job_title=str(member.get("jobTitle") or "")[:200],
                             user_id=users.get(email), employee_id=staff.get(email)))
        s.commit()
    progress.count("members", "created", len(now_ids - before))
    progress.count("members", "unchanged", len(now_ids & before))
    progress.count("members", "deactivated", len(before - now_ids))


@dataclass
class TeamView:
    id: int
    name: str
    mail: str
    active: bool
    office_id: str  # "" for none (a select's value)
    members: int
    linked: int  # members who are DokVault users


def list_teams(actor: User | None) -> list[TeamView]:
    require_admin(actor)
    with db.session() as s:
        counts = {t: (n, linked) for t, n, linked in s.exec(
            select(TeamMember.team_id, func.count(), func.count(TeamMember.user_id))
            .group_by(TeamMember.team_id)).all()}
        teams = s.exec(select(Team).order_by(col(Team.is_active).desc(), col(Team.name))).all()
    return [TeamView(t.id, t.name, t.mail, t.is_active, str(t.office_id or ""), *counts.get(t.id, (0, 0)))
            for t in teams]


def members_of(actor: User | None, team_id: int) -> list[dict]:
    require_admin(actor)
    with db.session() as s:
        rows = s.exec(select(TeamMember).where(TeamMember.team_id == team_id)
                      .order_by(col(TeamMember.name))).all()
    return [{"name": m.name, "email": m.email, "title": m.job_title, "user": m.user_id is not None,
             "employee": m.employee_id is not None} for m in rows]


def map_to_office(actor: User | None, team_id: int, office_id: int | None,
                  client: Client = Client()) -> bool:
    """Map a team to an office (None: to none); audited. False when it already was."""
    actor = require_admin(actor)
    with db.session() as s:
        team = s.get(Team, team_id)
        if team is None:
            raise Forbidden("error.unknown_team")
        if office_id is not None and s.get(Office, office_id) is None:
            raise Forbidden("error.unknown_office")
        if team.office_id == office_id:
            return False
        before, team.office_id, team.updated_at = team.office_id, office_id, utcnow()
        s.add(team)
        s.commit()
        audit.record("admin.team_mapped", actor_id=actor.id, client=client, session=s,
                     team_id=team_id, team=team.name, office_id=office_id, previous_office_id=before)
    return True
