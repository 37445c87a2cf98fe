"""Entra ID's delegated sign-in, as msal's ConfidentialClientApplication sees it (apis.md §3),
for OneDrive: the OpenID configuration, the consent (`authorize` plays the browser's round
trip), and the token endpoint's `authorization_code` (PKCE S256 checked) and `refresh_token`
grants. Served over TLS by tests/fakes/onedrive.py's MicrosoftLocal (msal refuses http).

(The organisation's Microsoft fake has the client-credentials grant; this module is the
delegated part, kept apart so the two can be unified.)"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

TENANT = "6f1c9e2a-2222-4b4b-9d9d-0123456789ab"
CLIENT_ID, CLIENT_SECRET = "22222222-3333-4444-5555-666666666666", "onedrive~secret"


def _jwt(claims: dict) -> str:
    part = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJub25lIn0.{part}."


@dataclass
class Entra:
    url: str = ""  # set by the server that hosts it
    tenant: str = TENANT
    token_lifetime: int = 3599
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._codes: dict[str, dict] = {}
        self._access: dict[str, bool] = {}
        self._refresh: dict[str, bool] = {}
        self._lock = threading.Lock()

    def authorize(self, consent_url: str) -> str:
        """The consent a person gives at `consent_url`: the redirect back, with code and state."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(consent_url).query).items()}
        assert urlsplit(consent_url).path == f"/{self.tenant}/oauth2/v2.0/authorize"
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        assert "Files.ReadWrite" in query["scope"] and "offline_access" in query["scope"]
        code = secrets.token_urlsafe(16)
        self._codes[code] = {"challenge": query.get("code_challenge"), "redirect_uri": query["redirect_uri"]}
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def valid(self, token: str) -> bool:
        return self._access.get(token, False)

    def expire_access_tokens(self) -> None:
        self._access = {t: False for t in self._access}

    def revoke_all(self) -> None:
        self._refresh = {t: False for t in self._refresh}
        self.expire_access_tokens()

    def handle(self, method: str, path: str, body: bytes) -> tuple[int, object, dict] | None:
        base = f"/{self.tenant}"
        if method == "GET" and path == f"{base}/v2.0/.well-known/openid-configuration":
            return (
                200,
                {
                    "authorization_endpoint": f"{self.url}{base}/oauth2/v2.0/authorize",
                    "token_endpoint": f"{self.url}{base}/oauth2/v2.0/token",
                    "issuer": f"{self.url}{base}/v2.0",
                },
                {},
            )
        if method == "POST" and path == f"{base}/oauth2/v2.0/token":
            with self._lock:
                self.requests.append("token")
                return self._token({k: v[0] for k, v in parse_qs(body.decode()).items()})
        return None

    def _error(self, error: str, text: str) -> tuple[int, dict, dict]:
        return (
            400,
            {
                "error": error,
                "error_description": f"{text} Trace ID: 0 Correlation ID: 0",
                "error_codes": [70008],
            },
            {},
        )

    def _token(self, form: dict) -> tuple[int, object, dict]:
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return (
                401,
                {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret."},
                {},
            )
        if form.get("grant_type") == "authorization_code":
            grant = self._codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            )
            if (
                grant is None
                or grant["redirect_uri"] != form.get("redirect_uri")
                or grant["challenge"] != challenge
            ):
                return self._error(
                    "invalid_grant", "AADSTS70008: The provided authorization code is invalid."
                )
        elif form.get("grant_type") == "refresh_token":
            if not self._refresh.get(form.get("refresh_token", "")):
                return self._error("invalid_grant", "AADSTS700082: The refresh token has expired.")
        else:
            return self._error("unsupported_grant_type", "AADSTS70003")
        access, refresh = "eyJ0eXAi." + secrets.token_urlsafe(24), "0.AR8A" + secrets.token_urlsafe(24)
        self._access[access], self._refresh[refresh] = True, True
        client_info = base64.urlsafe_b64encode(json.dumps({"uid": "0b0b", "utid": self.tenant}).encode())
        return (
            200,
            {
                "client_info": client_info.rstrip(b"=").decode(),
                "token_type": "Bearer",
                "scope": "Files.ReadWrite User.Read",
                "expires_in": self.token_lifetime,
                "ext_expires_in": self.token_lifetime,
                "access_token": access,
                "refresh_token": refresh,
                "id_token": _jwt(
                    {
                        "aud": CLIENT_ID,
                        "iss": f"{self.url}/{self.tenant}/v2.0",
                        "tid": self.tenant,
                        "oid": "0b0b",
                        "sub": "s-0b0b",
                        "preferred_username": "megler@kontor.example",
                        "iat": int(time.time()),
                        "exp": int(time.time()) + 3600,
                    }
                ),
            },
            {},
        )
