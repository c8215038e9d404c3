"""team tallies: the storm as played and left unanswered, kept by the runner

Revision ID: 5d7a0f3c2b91
Revises: c11bce1c302c
Create Date: 2026-11-26 20:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d7a0f3c2b91"
down_revision = "c11bce1c302c"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("played", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("unanswered", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("unanswered")
        batch_op.drop_column("played")
