"""feed: posts shown or only counted, counters, search; the session's intensity

Revision ID: 7f3a1c9e5b20
Revises: b7d41e9a2c55
Create Date: 2026-12-05 00:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7f3a1c9e5b20"
down_revision = "b7d41e9a2c55"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("drill_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("intensity", sa.String(length=12), server_default="calm", nullable=False)
        )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("parent", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("sentiment", sa.String(length=8), nullable=True))
        # posts recorded before: every one was sent
        batch_op.add_column(
            sa.Column("shown", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("key", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("search", sa.Text(), nullable=True))
        batch_op.create_index("ix_post_feed", ["team_id", "platform", "shown", "t"], unique=False)
        batch_op.create_index("ix_post_team_t", ["team_id", "t"], unique=False)
        batch_op.create_index("ix_post_team_parent", ["team_id", "parent"], unique=False)


def downgrade():
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ix_post_team_parent")
        batch_op.drop_index("ix_post_team_t")
        batch_op.drop_index("ix_post_feed")
        for name in ("search", "key", "shown", "sentiment", "parent", "kind"):
            batch_op.drop_column(name)
    with op.batch_alter_table("drill_session", schema=None) as batch_op:
        batch_op.drop_column("intensity")
