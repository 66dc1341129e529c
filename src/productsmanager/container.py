"""Composition root: the only module that knows every adapter. Tests override providers with fakes."""

from __future__ import annotations

from datetime import timedelta

from dependency_injector import containers, providers

from productsmanager.adapters.argon2_hasher import Argon2PasswordHasher
from productsmanager.adapters.clock import SystemClock
from productsmanager.adapters.fernet_secret_box import FernetSecretBox, embedded_key
from productsmanager.adapters.media_links import ApiMediaLinks
from productsmanager.adapters.sqlalchemy.catalog_view import SqlAlchemyProductCatalogView
from productsmanager.adapters.sqlalchemy.engine import build_engine
from productsmanager.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from productsmanager.adapters.sqlalchemy.user_repositories import SqlAlchemySessionLookup
from productsmanager.application.auth.sessions import Authenticator, make_decoy_hash
from productsmanager.application.catalog.list_products import ProductReader
from productsmanager.application.catalog.manage_offers import OfferEditor
from productsmanager.application.catalog.manage_products import ProductEditor
from productsmanager.application.suppliers.manage_suppliers import SupplierService
from productsmanager.application.users.manage_users import UserAdministration
from productsmanager.config import Config, ConfigError
from productsmanager.domain.users import SessionRules


def _secret_box(config: Config) -> FernetSecretBox:
    if config.secret_keys:
        return FernetSecretBox(config.secret_keys)
    if not config.embedded:
        raise ConfigError("PM_SECRET_KEYS is required with PM_DATABASE_URL (production): set one Fernet key or more")
    return FernetSecretBox([embedded_key(config.data_dir)])


def _session_rules(config: Config) -> SessionRules:
    return SessionRules(lifetime=timedelta(hours=config.session_hours))


class Container(containers.DeclarativeContainer):
    config = providers.Dependency(instance_of=Config)

    engine = providers.Singleton(build_engine, url=config.provided.database_url, pool_size=config.provided.db_pool_size)
    clock = providers.Singleton(SystemClock)
    password_hasher = providers.Singleton(Argon2PasswordHasher)
    session_rules = providers.Singleton(_session_rules, config)
    secret_box = providers.Singleton(_secret_box, config)
    uow = providers.Factory(SqlAlchemyUnitOfWork, engine=engine)

    catalog_view = providers.Singleton(SqlAlchemyProductCatalogView, engine=engine)
    session_lookup = providers.Singleton(SqlAlchemySessionLookup, engine=engine)
    media_links = providers.Singleton(ApiMediaLinks, public_url=config.provided.public_url)

    product_reader = providers.Factory(ProductReader, view=catalog_view, links=media_links)
    product_editor = providers.Factory(ProductEditor, uow=uow, clock=clock)
    offer_editor = providers.Factory(OfferEditor, uow=uow, clock=clock)
    supplier_service = providers.Factory(SupplierService, uow=uow, clock=clock)
    # Hashed once per process: unknown e-mails are checked against it so that they cost the same time.
    decoy_password_hash = providers.Singleton(make_decoy_hash, password_hasher)
    authenticator = providers.Factory(
        Authenticator,
        uow=uow,
        hasher=password_hasher,
        clock=clock,
        rules=session_rules,
        decoy_hash=decoy_password_hash,
        sessions=session_lookup,
    )
    user_administration = providers.Factory(UserAdministration, uow=uow, hasher=password_hasher, clock=clock)


def build_container(config: Config) -> Container:
    return Container(config=config)
