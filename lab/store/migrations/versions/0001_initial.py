"""Learners, progress, classes and drills.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "learners",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("oidc_subject", sa.String(300), nullable=True, unique=True),
        _ts("created_at"),
    )
    op.create_table(
        "lesson_reads",
        sa.Column("learner_id", sa.String(32), sa.ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("lesson_id", sa.String(80), primary_key=True),
        _ts("first_read_at"),
    )
    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("learner_id", sa.String(32), sa.ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lesson_id", sa.String(80), nullable=False),
        sa.Column("question", sa.Integer, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("choice", sa.Integer, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        _ts("answered_at"),
        sa.UniqueConstraint("learner_id", "lesson_id", "question", "attempt"),
    )
    op.create_index("ix_quiz_answers_learner_id", "quiz_answers", ["learner_id"])
    op.create_table(
        "exercises_done",
        sa.Column("learner_id", sa.String(32), sa.ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("exercise_id", sa.String(120), primary_key=True),
        _ts("done_at"),
    )
    op.create_table(
        "classes",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        _ts("created_at"),
    )
    op.create_table(
        "memberships",
        sa.Column("class_id", sa.String(32), sa.ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("learner_id", sa.String(32), sa.ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True),
        _ts("joined_at"),
    )
    op.create_table(
        "drills",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("class_id", sa.String(32), sa.ForeignKey("classes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("spec", sa.JSON, nullable=False),
        _ts("opened_at"),
        _ts("closes_at"),
        _ts("revealed_at", nullable=True),
    )
    op.create_index("ix_drills_class_id", "drills", ["class_id"])
    op.create_table(
        "drill_answers",
        sa.Column("drill_id", sa.String(32), sa.ForeignKey("drills.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("learner_id", sa.String(32), sa.ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("answer", sa.String(200), nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        _ts("answered_at"),
    )
    op.create_table(
        "saved_drills",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("spec", sa.JSON, nullable=False),
        _ts("created_at"),
    )


def downgrade() -> None:
    for table in ("saved_drills", "drill_answers", "drills", "memberships", "classes", "exercises_done",
                  "quiz_answers", "lesson_reads", "learners"):
        op.drop_table(table)
