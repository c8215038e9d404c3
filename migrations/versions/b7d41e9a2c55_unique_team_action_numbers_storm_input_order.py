"""unique team action numbers; the order in which the storm took its inputs

A team's action numbers were read, incremented and written back, so two actions stored at
once on PostgreSQL could get the same number. Duplicates already stored are renumbered (in
their old order, then by id) before the constraint is added. `applied_n` records the order in
which the runner gave controls and actions to the storms, so a rebuilt storm takes them in
the same order.

Revision ID: b7d41e9a2c55
Revises: a390ec9ac9fd
Create Date: 2026-12-05 00:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7d41e9a2c55"
down_revision = "a390ec9ac9fd"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE action SET seq = (SELECT r.n FROM (SELECT id, ROW_NUMBER() OVER "
        "(PARTITION BY team_id ORDER BY seq, id) AS n FROM action) AS r WHERE r.id = action.id) "
        "WHERE team_id IN (SELECT team_id FROM action GROUP BY team_id, seq HAVING COUNT(*) > 1)"
    )
    op.execute(
        "UPDATE team SET action_seq = (SELECT MAX(seq) FROM action WHERE action.team_id = team.id)"
        " WHERE action_seq < (SELECT MAX(seq) FROM action WHERE action.team_id = team.id)"
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applied_n", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint("uq_action_team_seq", ["team_id", "seq"])
    with op.batch_alter_table("control", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applied_n", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("control", schema=None) as batch_op:
        batch_op.drop_column("applied_n")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_constraint("uq_action_team_seq", type_="unique")
        batch_op.drop_column("applied_n")
