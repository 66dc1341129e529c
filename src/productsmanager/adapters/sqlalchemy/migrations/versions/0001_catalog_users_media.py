"""catalog, users and media tables

A declarative table of the first schema (one `create_table` per table, no logic), so it may run long.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 13:43:01.216912
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import productsmanager.adapters.sqlalchemy.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("brand", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("asin", sa.String(length=10), nullable=True),
        sa.Column("odoo_product_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "attributes", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("created_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(gtin) = 14", name=op.f("ck_products_gtin_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("gtin", name=op.f("uq_products_gtin")),
    )
    op.create_index("ix_products_asin", "products", ["asin"], unique=False)
    op.create_index("ix_products_brand_lower", "products", [sa.literal_column("lower(brand)")], unique=False)
    op.create_index("ix_products_created_at_id", "products", ["created_at", "id"], unique=False)
    op.create_index("ix_products_name_id", "products", ["name", "id"], unique=False)
    op.create_index("ix_products_updated_at_id", "products", ["updated_at", "id"], unique=False)
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        sa.UniqueConstraint("code", name=op.f("uq_suppliers_code")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'editor', 'viewer')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_index("uq_users_email_lower", "users", [sa.literal_column("lower(email)")], unique=True)
    op.create_table(
        "auth_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_auth_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_sessions_token_hash")),
    )
    op.create_index(op.f("ix_auth_sessions_expires_at"), "auth_sessions", ["expires_at"], unique=False)
    op.create_index(op.f("ix_auth_sessions_user_id"), "auth_sessions", ["user_id"], unique=False)
    op.create_table(
        "media_files",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("storage_key", sa.String(length=512), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("byte_size", sa.BigInteger(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("original_file_name", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("created_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("source IN ('upload', 'code2asin', 'import')", name=op.f("ck_media_files_source")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_media_files_product_id_products"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_files")),
        sa.UniqueConstraint("product_id", "sha256", name="uq_media_files_product_sha256"),
        sa.UniqueConstraint("storage_key", name=op.f("uq_media_files_storage_key")),
    )
    op.create_index("ix_media_files_product_id", "media_files", ["product_id", "is_primary"], unique=False)
    op.create_index(
        "uq_media_files_one_primary",
        "media_files",
        ["product_id"],
        unique=True,
        postgresql_where=sa.text("is_primary"),
        sqlite_where=sa.text("is_primary"),
    )
    op.create_table(
        "supplier_offers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_sku", sa.String(length=100), nullable=True),
        sa.Column("price", sa.Numeric(precision=12, scale=4), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("updated_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("price IS NULL OR price >= 0", name=op.f("ck_supplier_offers_price_not_negative")),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_supplier_offers_stock_not_negative")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_supplier_offers_product_id_products"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"],
            ["suppliers.id"],
            name=op.f("fk_supplier_offers_supplier_id_suppliers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_offers")),
        sa.UniqueConstraint("product_id", "supplier_id", name="uq_supplier_offers_product_supplier"),
    )
    op.create_index(
        "ix_supplier_offers_supplier_product", "supplier_offers", ["supplier_id", "product_id"], unique=False
    )
    op.create_table(
        "media_thumbnails",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("media_file_id", sa.Uuid(), nullable=False),
        sa.Column("size", sa.String(length=10), nullable=False),
        sa.Column("storage_key", sa.String(length=512), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("byte_size", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("size IN ('small', 'medium', 'large')", name=op.f("ck_media_thumbnails_size")),
        sa.ForeignKeyConstraint(
            ["media_file_id"],
            ["media_files.id"],
            name=op.f("fk_media_thumbnails_media_file_id_media_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_thumbnails")),
        sa.UniqueConstraint("media_file_id", "size", name="uq_media_thumbnails_file_size"),
        sa.UniqueConstraint("storage_key", name=op.f("uq_media_thumbnails_storage_key")),
    )


def downgrade() -> None:
    op.drop_table("media_thumbnails")
    op.drop_index("ix_supplier_offers_supplier_product", table_name="supplier_offers")
    op.drop_table("supplier_offers")
    op.drop_index(
        "uq_media_files_one_primary",
        table_name="media_files",
        postgresql_where=sa.text("is_primary"),
        sqlite_where=sa.text("is_primary"),
    )
    op.drop_index("ix_media_files_product_id", table_name="media_files")
    op.drop_table("media_files")
    op.drop_index(op.f("ix_auth_sessions_user_id"), table_name="auth_sessions")
    op.drop_index(op.f("ix_auth_sessions_expires_at"), table_name="auth_sessions")
    op.drop_table("auth_sessions")
    op.drop_index("uq_users_email_lower", table_name="users")
    op.drop_table("users")
    op.drop_table("suppliers")
    op.drop_index("ix_products_updated_at_id", table_name="products")
    op.drop_index("ix_products_name_id", table_name="products")
    op.drop_index("ix_products_created_at_id", table_name="products")
    op.drop_index("ix_products_brand_lower", table_name="products")
    op.drop_index("ix_products_asin", table_name="products")
    op.drop_table("products")
