"""Builders of authentication's rules and shared state (reset tokens and rate counters in Redis when there
is one; the database stores need no builder)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from productsmanager.application.auth.ports import RateCounter, ResetTokenStore
from productsmanager.config import Config
from productsmanager.domain.password_reset import ResetTokenRules
from productsmanager.domain.rate_limits import AuthLimits, RateLimit
from productsmanager.domain.users import SessionRules


def build_session_rules(config: Config) -> SessionRules:
    return SessionRules(lifetime=timedelta(hours=config.session_hours))


def build_auth_limits(config: Config) -> AuthLimits:
    window = timedelta(minutes=15)
    return AuthLimits(
        reset_per_email=RateLimit("reset-email", config.reset_limit_per_email, window),
        reset_per_client=RateLimit("reset-client", config.reset_limit_per_client, window),
        login_failures_per_account=RateLimit("login-account-client", config.login_failures_per_account, window),
        login_failures_per_client=RateLimit("login-client", config.login_failures_per_client, window),
        login_failures_account_ceiling=RateLimit("login-ceiling", config.login_failures_account_ceiling, window),
    )


def build_reset_token_rules(config: Config) -> ResetTokenRules:
    return ResetTokenRules(lifetime=timedelta(minutes=config.reset_token_minutes))


def build_redis_reset_tokens(client: Any) -> ResetTokenStore:
    from productsmanager.adapters.redis.reset_tokens import RedisResetTokenStore

    return RedisResetTokenStore(client)


def build_redis_rate_counter(client: Any) -> RateCounter:
    from productsmanager.adapters.redis.rate_counter import RedisRateCounter

    return RedisRateCounter(client)
