"""Microsoft Entra ID's token service, as msal's ConfidentialClientApplication sees it
(apis.md §3), with every grant DokVault uses: `client_credentials` (the organisation's app:
Teams and mail), `authorization_code` with PKCE S256 (OneDrive's consent) and
`refresh_token`. Served over TLS by tests/fakes/microsoft.py's MicrosoftFake (msal refuses
http), beside the Graph routes a test adds.

    GET  /{tenant}/v2.0/.well-known/openid-configuration
    GET  /{tenant}/oauth2/v2.0/authorize      (the browser's part: `authorize(consent_url)`)
    POST /{tenant}/oauth2/v2.0/token          a wrong client or secret: 401 invalid_client

Two app registrations are known: ORGANISATION (application permissions) and ONEDRIVE
(delegated). `valid(token)` is what Graph asks of a bearer token."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

TENANT = "6f1c9e2a-1111-4a4a-9c9c-0123456789ab"
ORGANISATION = ("11111111-2222-3333-4444-555555555555", "s3cret~" + secrets.token_urlsafe(12))
ONEDRIVE = ("22222222-3333-4444-5555-666666666666", "onedrive~" + secrets.token_urlsafe(12))
SIGNED_IN = "megler@kontor.example"  # the person who consents to OneDrive


def _jwt(claims: dict) -> str:
    part = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJub25lIn0.{part}."


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass
class Entra:
    url: str = ""  # set by the server that hosts it
    tenant: str = TENANT
    token_lifetime: int = 3599
    apps: dict[str, str] = field(default_factory=lambda: dict((ORGANISATION, ONEDRIVE)))
    token_requests: int = 0  # tokens handed out (msal caches its token: one per run)

    def __post_init__(self) -> None:
        self._codes: dict[str, dict] = {}
        self._access: dict[str, bool] = {}
        self._refresh: dict[str, bool] = {}
        self._lock = threading.Lock()

    # --- what a test does ------------------------------------------------------------------

    def authorize(self, consent_url: str) -> str:
        """The consent a person gives at `consent_url`: the redirect back, with code and state."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(consent_url).query).items()}
        assert urlsplit(consent_url).path == f"/{self.tenant}/oauth2/v2.0/authorize"
        assert query["client_id"] in self.apps and query["response_type"] == "code"
        assert "Files.ReadWrite" in query["scope"] and "offline_access" in query["scope"]
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._codes[code] = {"client_id": query["client_id"], "challenge": query.get("code_challenge"),
                                 "redirect_uri": query["redirect_uri"]}
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def valid(self, token: str) -> bool:
        return self._access.get(token, False)

    def expire_access_tokens(self) -> None:
        with self._lock:
            self._access = dict.fromkeys(self._access, False)

    def revoke_all(self) -> None:
        with self._lock:
            self._refresh = dict.fromkeys(self._refresh, False)
            self._access = dict.fromkeys(self._access, False)

    # --- the wire --------------------------------------------------------------------------

    def handle(self, method: str, path: str, body: bytes) -> tuple[int, object, dict] | None:
        """The answer to an Entra request, or None when `path` is not Entra's."""
        base = f"/{self.tenant}"
        if method == "GET" and path == f"{base}/v2.0/.well-known/openid-configuration":
            return 200, {"authorization_endpoint": f"{self.url}{base}/oauth2/v2.0/authorize",
                         "token_endpoint": f"{self.url}{base}/oauth2/v2.0/token",
                         "issuer": f"{self.url}{base}/v2.0"}, {}
        if method == "POST" and path == f"{base}/oauth2/v2.0/token":
            with self._lock:
                return self._token({k: v[0] for k, v in parse_qs(body.decode()).items()})
        return None

    @staticmethod
    def _error(error: str, text: str, status: int = 400, code: int = 70008) -> tuple[int, dict, dict]:
        return status, {"error": error, "error_description": f"{text} Trace ID: 00000000 "
                                                             "Correlation ID: 11111111",
                        "error_codes": [code]}, {}

    def _token(self, form: dict) -> tuple[int, object, dict]:
        client_id = form.get("client_id", "")
        if client_id not in self.apps or form.get("client_secret") != self.apps[client_id]:
            return self._error("invalid_client", "AADSTS7000215: Invalid client secret provided.",
                               401, 7000215)
        grant = form.get("grant_type")
        if grant == "client_credentials":
            return 200, {"token_type": "Bearer", "expires_in": self.token_lifetime,
                         "ext_expires_in": self.token_lifetime, "access_token": self._new_access()}, {}
        if grant == "authorization_code":
            given = self._codes.pop(form.get("code", ""), None)
            if given is None or given["client_id"] != client_id or \
                    given["redirect_uri"] != form.get("redirect_uri") or \
                    given["challenge"] != _challenge(form.get("code_verifier", "")):
                return self._error("invalid_grant",
                                   "AADSTS70008: The provided authorization code is invalid.")
        elif grant == "refresh_token":
            if not self._refresh.get(form.get("refresh_token", "")):
                return self._error("invalid_grant", "AADSTS700082: The refresh token has expired.")
        else:
            return self._error("unsupported_grant_type", "AADSTS70003", code=70003)
        refresh = "0.AR8A" + secrets.token_urlsafe(24)
        self._refresh[refresh] = True
        client_info = base64.urlsafe_b64encode(json.dumps({"uid": "0b0b", "utid": self.tenant}).encode())
        now = int(time.time())
        return 200, {
            "client_info": client_info.rstrip(b"=").decode(), "token_type": "Bearer",
            "scope": "Files.ReadWrite User.Read", "expires_in": self.token_lifetime,
            "ext_expires_in": self.token_lifetime, "access_token": self._new_access(),
            "refresh_token": refresh,
            "id_token": _jwt({"aud": client_id, "iss": f"{self.url}/{self.tenant}/v2.0", "tid": self.tenant,
                              "oid": "0b0b", "sub": "s-0b0b", "preferred_username": SIGNED_IN,
                              "iat": now, "exp": now + 3600}),
        }, {}

    def _new_access(self) -> str:
        token = "eyJ0eXAiOiJKV1Qi." + secrets.token_urlsafe(24)
        self._access[token] = True
        self.token_requests += 1
        return token
