"""Team training: learners and their lasting progress, classes, and live drills, on top of `lab.store`.

A learner is a display name with a personal resume link (or a single-sign-on subject); their
lessons read, every quiz answer (the first one counts; retries are kept as later attempts) and
the exercises they did are rows in the store. A facilitator creates a class (a join code for the
room, a facilitator key kept only as a hash), follows the room's progress, and runs drills: a
scenario-lab simulation plus a prediction question whose right answer the simulator computes.
Pure Python: every function takes the `Store` and the current time, so any replica can serve any
request and the tests inject the clock.
"""

from lab.classes.classes import (
    ClassReport,
    ParticipantReport,
    class_report,
    create_class,
    delete_class,
    export_csv,
    find_class,
    join_class,
    verify_facilitator,
)
from lab.classes.identity import clean_name, hash_secret, new_join_code, new_secret
from lab.classes.progress import (
    LearnerProgress,
    QuestionState,
    answer_question,
    learner_progress,
    new_learner,
    quiz_state,
    resume_learner,
)

__all__ = [
    "ClassReport",
    "LearnerProgress",
    "ParticipantReport",
    "QuestionState",
    "answer_question",
    "class_report",
    "clean_name",
    "create_class",
    "delete_class",
    "export_csv",
    "find_class",
    "hash_secret",
    "join_class",
    "learner_progress",
    "new_join_code",
    "new_learner",
    "new_secret",
    "quiz_state",
    "resume_learner",
    "verify_facilitator",
]
