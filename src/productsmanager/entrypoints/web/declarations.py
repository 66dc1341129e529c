"""What each back-office area says about its pages: path, the role each method needs (None: public), the
resource's factory. Declared once and read by mounting and by the session middleware."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from attrs import field, frozen

from productsmanager.domain.users import Role

if TYPE_CHECKING:
    from productsmanager.container import Container
    from productsmanager.entrypoints.web.rendering import Renderer

PageFactory = Callable[["Container", "Renderer"], object]
"""Builds a page's resource from the container's providers and the shared renderer, once, at assembly."""


@frozen(kw_only=True)
class WebPage:
    path: str
    factory: PageFactory
    # Role per method; a method missing here is public (the sign-in pages). GET pages of a signed-out visitor
    # redirect to /login; every other method needs a valid CSRF token.
    roles: Mapping[str, Role | None] = field(factory=lambda: {"GET": Role.VIEWER})


@frozen(kw_only=True)
class NavItem:
    """An entry of the main navigation, shown to users with at least `role`."""

    path: str
    label: str
    role: Role = Role.VIEWER
