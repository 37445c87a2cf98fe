"""A server that answers every request with a redirect to `to` (200 {"ok": true} when `to`
is empty), and records what it was sent: for the outbound guard's redirect tests."""

from __future__ import annotations

from dataclasses import dataclass

from tests.fakes.llm import FakeLLMServer, Reply


@dataclass
class Redirector(FakeLLMServer):
    to: str = ""
    status: int = 307

    def handle(self, request, fault) -> Reply:
        return Reply(self.status, b"", {"Location": self.to}) if self.to else Reply(200, {"ok": True})
