"""The session cookie: httpOnly, SameSite=Strict, Secure over https."""

from http.cookies import SimpleCookie

SESSION_COOKIE = "dokvault_session"


def session_token_from_header(cookie_header: str) -> str | None:
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:  # a malformed header means no session, not an error page
        return None
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value if morsel else None
