"""Whether OIDC sign-in (``st.login``) is configured well enough to offer it.

``STDEVAL_OIDC_PROVIDER`` names a provider of the ``[auth]`` section of
``.streamlit/secrets.toml`` (``default``: the provider keys written in
``[auth]`` itself). Streamlit checks the same things only when a user
clicks, in English and as an exception; here they are checked up front, so
``stdeval serve`` refuses to start with one line and the sign-in page shows
what to fix, in both languages, without a traceback.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from datasets.messages import Message

#: Where Streamlit reads secrets, in order (a later file overrides an earlier
#: one): the user's, then the project's (``stdeval serve`` runs from the
#: project folder).
SECRETS_FILES: tuple[Path, ...] = (
    Path.home() / ".streamlit" / "secrets.toml",
    Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml",
)

#: The keys Streamlit needs in ``[auth]`` and in the provider's section.
SHARED_KEYS: tuple[str, ...] = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS: tuple[str, ...] = ("client_id", "client_secret", "server_metadata_url")
CALLBACK_PATH = "/oauth2callback"


def authlib_installed() -> bool:
    """Whether the Authlib that ``st.login`` needs can be imported (1.3.2 or later)."""
    try:
        import authlib
    except ImportError:
        return False
    parts = tuple(int(p) for p in authlib.__version__.split(".")[:3] if p.isdigit())
    return parts >= (1, 3, 2)


def read_auth_section(files: Sequence[Path] | None = None) -> dict[str, Any] | None:
    """The ``[auth]`` table of the secrets files (merged as Streamlit does), or ``None``.

    ``files`` defaults to :data:`SECRETS_FILES`. A file that is not valid
    TOML counts as having no ``[auth]`` section.
    """
    merged: dict[str, Any] | None = None
    for path in SECRETS_FILES if files is None else files:
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
        auth = data.get("auth")
        if isinstance(auth, dict):
            merged = {**(merged or {}), **auth}
    return merged


def _providers(auth: Mapping[str, Any]) -> list[str]:
    return sorted(k for k, v in auth.items() if isinstance(v, Mapping))


def _redirect_problem(uri: str, port: int) -> Message | None:
    uri = uri.replace("{port}", str(port))
    parsed = urlparse(uri)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        return Message(
            f"[auth] 的 redirect_uri {uri!r} 不是绝对地址；请写成 http(s)://主机:{port}{CALLBACK_PATH}",
            f"redirect_uri {uri!r} in [auth] is not an absolute URL; write it as"
            f" http(s)://host:{port}{CALLBACK_PATH}",
        )
    if not parsed.path.endswith(CALLBACK_PATH):
        return Message(
            f"[auth] 的 redirect_uri {uri!r} 必须以 {CALLBACK_PATH} 结尾（Streamlit 在此接收登录结果）",
            f"redirect_uri {uri!r} in [auth] must end with {CALLBACK_PATH}"
            " (where Streamlit receives the sign-in)",
        )
    try:
        given = parsed.port or (443 if parsed.scheme == "https" else 80)
    except ValueError:
        given = -1
    if given != port:
        return Message(
            f"[auth] 的 redirect_uri {uri!r} 指向端口 {given}，而仪表盘运行在端口 {port}；"
            f"请改为该端口（或写 {{port}}），并在身份提供方登记同一地址",
            f"redirect_uri {uri!r} in [auth] points at port {given} but the dashboard runs on"
            f" port {port}; use that port (or write {{port}}) and register the same URL with"
            " the provider",
        )
    return None


def oidc_problems(
    provider: str,
    auth: Mapping[str, Any] | None,
    *,
    port: int,
    authlib: bool,
) -> list[Message]:
    """What stops OIDC sign-in through ``provider``; empty when it can be offered.

    Parameters
    ----------
    provider
        The value of ``STDEVAL_OIDC_PROVIDER`` (``""``: OIDC is off, nothing to check).
    auth
        The ``[auth]`` section of the secrets (:func:`read_auth_section`), or ``None``.
    port
        The port the dashboard listens on (``redirect_uri`` must point at it).
    authlib
        Whether Authlib is installed (:func:`authlib_installed`).

    Returns
    -------
    list[Message]
        Each problem: what is wrong, where, and what to do.

    Examples
    --------
    >>> auth = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s",
    ...         "idp": {"client_id": "c", "client_secret": "x",
    ...                 "server_metadata_url": "https://idp/.well-known/openid-configuration"}}
    >>> oidc_problems("idp", auth, port=8501, authlib=True)
    []
    >>> [m.en for m in oidc_problems("idp", auth, port=8600, authlib=True)][0][:40]
    "redirect_uri 'http://localhost:8501/oauth"
    """
    if not provider:
        return []
    found: list[Message] = []
    if not authlib:
        found.append(
            Message(
                "未安装 Authlib，无法使用 st.login 单点登录；请运行 `make install`"
                "（requirements.lock 固定了其版本）",
                "Authlib is not installed, so st.login cannot sign anyone in; run `make install`"
                " (requirements.lock pins its version)",
            )
        )
    where = " 或 ".join(str(p) for p in SECRETS_FILES)
    where_en = " or ".join(str(p) for p in SECRETS_FILES)
    if auth is None:
        found.append(
            Message(
                f"已设置 STDEVAL_OIDC_PROVIDER={provider}，但 {where} 中没有 [auth] 一节；"
                "请按 README 的 “Accounts and sign-in” 一节添加，或清空该设置",
                f"STDEVAL_OIDC_PROVIDER={provider} is set but there is no [auth] section in"
                f" {where_en}; add one as the README's 'Accounts and sign-in' shows, or unset it",
            )
        )
        return found
    missing = [k for k in SHARED_KEYS if not auth.get(k)]
    if missing:
        names = ", ".join(missing)
        found.append(
            Message(
                f"secrets.toml 的 [auth] 缺少 {names}；请补上",
                f"[auth] in secrets.toml lacks {names}; add it",
            )
        )
    section = auth if provider == "default" else auth.get(provider)
    if not isinstance(section, Mapping):
        known = ", ".join(_providers(auth)) or "—"
        found.append(
            Message(
                f"STDEVAL_OIDC_PROVIDER={provider}：[auth] 中没有 [auth.{provider}] 一节"
                f"（已有：{known}）；请改正名称或添加该节",
                f"STDEVAL_OIDC_PROVIDER={provider}: [auth] has no [auth.{provider}] section"
                f" (there are: {known}); correct the name or add the section",
            )
        )
    else:
        lacking = [k for k in PROVIDER_KEYS if not section.get(k)]
        if lacking:
            names = ", ".join(lacking)
            place = "[auth]" if provider == "default" else f"[auth.{provider}]"
            found.append(
                Message(
                    f"secrets.toml 的 {place} 缺少 {names}；请从身份提供方处取得并补上",
                    f"{place} in secrets.toml lacks {names}; get them from the provider and add them",
                )
            )
    if auth.get("redirect_uri"):
        problem = _redirect_problem(str(auth["redirect_uri"]), port)
        if problem is not None:
            found.append(problem)
    return found
