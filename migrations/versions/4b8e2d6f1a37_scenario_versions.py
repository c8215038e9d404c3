"""scenario versions: a trainer's scenario keeps every version saved; sessions say which ran

Rows stored before are version 1 of their scenario. The unique (trainer, slug) becomes
unique (trainer, slug, version).

Revision ID: 4b8e2d6f1a37
Revises: 7f3a1c9e5b20
Create Date: 2026-12-05 21:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "4b8e2d6f1a37"
down_revision = "7f3a1c9e5b20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scenario_upload", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(
            sa.Column("origin", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.drop_constraint("uq_scenario_upload_trainer_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_scenario_upload_version", ["trainer_id", "slug", "version"]
        )
    with op.batch_alter_table("drill_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scenario_version", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("drill_session", schema=None) as batch_op:
        batch_op.drop_column("scenario_version")
    # only the latest version of each scenario is kept
    op.execute(
        "DELETE FROM scenario_upload WHERE version < (SELECT MAX(v.version) FROM "
        "scenario_upload AS v WHERE v.trainer_id = scenario_upload.trainer_id "
        "AND v.slug = scenario_upload.slug)"
    )
    with op.batch_alter_table("scenario_upload", schema=None) as batch_op:
        batch_op.drop_constraint("uq_scenario_upload_version", type_="unique")
        batch_op.create_unique_constraint("uq_scenario_upload_trainer_id", ["trainer_id", "slug"])
        batch_op.drop_column("origin")
        batch_op.drop_column("version")
