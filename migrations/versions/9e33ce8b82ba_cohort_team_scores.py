"""cohort: team scores (each team's computed score, stored for the cohort view)

Revision ID: 9e33ce8b82ba
Revises: 5d7a0f3c2b91
Create Date: 2026-11-26 19:59:36.401751

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9e33ce8b82ba"
down_revision = "5d7a0f3c2b91"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "team_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("scenario_slug", sa.String(length=64), nullable=False),
        sa.Column("yaml_hash", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("max", sa.Float(), nullable=False),
        sa.Column("containment", sa.Float(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["drill_session.id"],
            name=op.f("fk_team_score_session_id_drill_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_team_score_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_score")),
        sa.UniqueConstraint("team_id", name=op.f("uq_team_score_team_id")),
    )
    with op.batch_alter_table("team_score", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_score_scenario_slug"), ["scenario_slug"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_team_score_session_id"), ["session_id"], unique=False)


def downgrade():
    with op.batch_alter_table("team_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_score_session_id"))
        batch_op.drop_index(batch_op.f("ix_team_score_scenario_slug"))

    op.drop_table("team_score")
