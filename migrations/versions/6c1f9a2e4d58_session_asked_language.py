"""sessions: the language the trainer asked for, when the scenario is not written in it

Revision ID: 6c1f9a2e4d58
Revises: 4b8e2d6f1a37
Create Date: 2026-12-05 21:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6c1f9a2e4d58"
down_revision = "4b8e2d6f1a37"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("drill_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asked_lang", sa.String(length=2), nullable=True))


def downgrade():
    with op.batch_alter_table("drill_session", schema=None) as batch_op:
        batch_op.drop_column("asked_lang")
