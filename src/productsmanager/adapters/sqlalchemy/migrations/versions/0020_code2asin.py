"""Code2ASIN: Amazon's credentials, jobs and their per-EAN results, Amazon's data per product, results-file
layouts; the ASIN becomes a shared field with sources

Revision ID: 0020_code2asin
Revises: 0019_provider_credits
Create Date: 2026-12-01 20:00:00.000000

Every ASIN stored so far was typed by a person (no import or sync wrote one): each becomes a value of the
`manual` source, given at the product's `updated_at`, so that the product shows what it showed before and an
ASIN Code2ASIN finds later only fills products that have none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0020_code2asin"
down_revision = "0019_provider_credits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "amazon_config",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("marketplace", sa.String(length=40), nullable=False),
        sa.Column("endpoint", sa.String(length=500), nullable=False),
        sa.Column("token_url", sa.String(length=500), nullable=False),
        sa.Column("requests_per_second", sa.Double(), nullable=False),
        sa.Column("timeout_seconds", sa.Double(), nullable=False),
        sa.Column("client_id_encrypted", sa.Text(), nullable=True),
        sa.Column("client_secret_encrypted", sa.Text(), nullable=True),
        sa.Column("refresh_token_encrypted", sa.Text(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("tested_at", UtcDateTime(), nullable=True),
        sa.Column("test_error", sa.Text(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_amazon_config_single_row")),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name="fk_amazon_config_updated_by_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_amazon_config"),
    )
    op.create_table(
        "code2asin_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("marketplace", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("product_filter", JsonDocument, nullable=True),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("file_key", sa.String(length=500), nullable=True),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in (
                "eans",
                "processed",
                "matched",
                "ambiguous",
                "not_found",
                "errors",
                "asins_set",
                "images_stored",
                "images_known",
                "images_failed",
            )
        ),
        sa.Column("stage", sa.String(length=16), nullable=True),
        sa.Column("timeline", JsonDocument, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("heartbeat_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("dispatched_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_code2asin_jobs"),
    )
    op.create_index("ix_code2asin_jobs_created_at_id", "code2asin_jobs", ["created_at", "id"])
    op.create_index("ix_code2asin_jobs_status_created_at", "code2asin_jobs", ["status", "created_at"])
    op.create_table(
        "code2asin_results",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("items", JsonDocument, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("asin_set", sa.Boolean(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("images_stored", sa.Integer(), nullable=False),
        sa.Column("images_known", sa.Integer(), nullable=False),
        sa.Column("images_failed", sa.Integer(), nullable=False),
        sa.Column("images_done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["code2asin_jobs.id"], name="fk_code2asin_results_job_id_code2asin_jobs", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name="fk_code2asin_results_product_id_products", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("job_id", "gtin", name="pk_code2asin_results"),
    )
    op.create_index("ix_code2asin_results_job_id_outcome_gtin", "code2asin_results", ["job_id", "outcome", "gtin"])
    op.create_table(
        "product_amazon_data",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("marketplace", sa.String(length=40), nullable=False),
        sa.Column("asin", sa.String(length=10), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("brand", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("sales_ranks", JsonDocument, nullable=False),
        sa.Column("image_urls", JsonDocument, nullable=False),
        sa.Column("price", sa.Numeric(precision=12, scale=4), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("fetched_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name="fk_product_amazon_data_product_id_products", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("product_id", "marketplace", name="pk_product_amazon_data"),
    )
    op.create_table(
        "code2asin_file_layouts",
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("headers", JsonDocument, nullable=False),
        sa.Column("mapping", JsonDocument, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name="fk_code2asin_file_layouts_updated_by_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("signature", name="pk_code2asin_file_layouts"),
    )
    op.execute(
        "INSERT INTO product_values (product_id, field, source, value, given_at, first_given_at) "
        "SELECT id, 'asin', 'manual', asin, updated_at, updated_at FROM products WHERE asin IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DELETE FROM product_values WHERE field = 'asin'")
    op.execute("DELETE FROM product_history WHERE field = 'asin'")
    op.drop_table("code2asin_file_layouts")
    op.drop_table("product_amazon_data")
    op.drop_index("ix_code2asin_results_job_id_outcome_gtin", table_name="code2asin_results")
    op.drop_table("code2asin_results")
    op.drop_index("ix_code2asin_jobs_status_created_at", table_name="code2asin_jobs")
    op.drop_index("ix_code2asin_jobs_created_at_id", table_name="code2asin_jobs")
    op.drop_table("code2asin_jobs")
    op.drop_table("amazon_config")
