"""The course forms (Flask-WTF, each with its CSRF token). Times are typed in the course's zone."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..models import COURSE_ROLES

LOCAL_TIME = "%Y-%m-%dT%H:%M"
FEEDBACK_CHOICES = [
    ("full", "Everything the challenge shows"),
    ("score", "The score and which tests passed, no messages"),
    ("none", "Only that it was graded"),
]


def zone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone name, UTC first."""
    return [("UTC", "UTC")] + [(z, z) for z in sorted(available_timezones()) if z != "UTC"]


class JoinForm(FlaskForm):
    """A learner types the code the teacher handed out."""

    code = StringField("Join code", validators=[DataRequired(), Length(max=32)])
    submit = SubmitField("Join the course")


class CourseForm(FlaskForm):
    """A new course."""

    slug = StringField("Short name", validators=[DataRequired(), Length(max=80)],
                       description="In its address: lowercase letters, digits and '-'")
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    time_zone = SelectField("Time zone", default="UTC",
                            description="Due times are typed and shown in this zone")
    submit = SubmitField("Create the course")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = zone_choices()


class SettingsForm(FlaskForm):
    """What a course teacher may change about the course."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    time_zone = SelectField("Time zone")
    submit = SubmitField("Save")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = zone_choices()


class LateStepForm(Form):
    """One step of the late-credit timeline (no CSRF of its own: it sits inside a form)."""

    until_hours = DecimalField("Up to hours late", places=None,
                               validators=[Optional(), NumberRange(min=0.01)])
    credit = IntegerField("Credit %", validators=[Optional(), NumberRange(min=0, max=100)])


class AssignmentForm(FlaskForm):
    """A challenge placed in the course, with its times (in the course's zone) and rules."""

    challenge = SelectField("Challenge", validators=[DataRequired()])
    opens_at = DateTimeLocalField("Opens", format=LOCAL_TIME, validators=[DataRequired()])
    due_at = DateTimeLocalField("Due", format=LOCAL_TIME, validators=[Optional()],
                                description="Empty: no due time (nothing is late)")
    closes_at = DateTimeLocalField("Closes", format=LOCAL_TIME, validators=[Optional()],
                                   description="Empty: late work is taken for ever")
    late_policy = FieldList(FormField(LateStepForm), min_entries=3, max_entries=10)
    max_submissions = IntegerField("Submission cap", validators=[Optional(), NumberRange(min=1)],
                                   description="Empty: no cap")
    feedback_before_due = SelectField("Before the due time, learners see",
                                      choices=FEEDBACK_CHOICES, default="full")
    submit = SubmitField("Save the assignment")

    def steps(self) -> list[dict[str, float | int]]:
        """The filled-in steps of the timeline, as the service expects them."""
        steps = []
        for entry in self.late_policy:
            hours, credit = entry.form.until_hours.data, entry.form.credit.data
            if hours is None and credit is None:
                continue
            number = float(hours) if hours is not None else 0.0
            steps.append({"until_hours": int(number) if number.is_integer() else number,
                          "credit": credit if credit is not None else -1})
        return steps


class ExtensionForm(FlaskForm):
    """A later due and/or closing time for one learner and one assignment."""

    username = SelectField("Learner", validators=[DataRequired()])
    challenge = SelectField("Assignment", validators=[DataRequired()])
    due_at = DateTimeLocalField("New due time", format=LOCAL_TIME, validators=[Optional()])
    closes_at = DateTimeLocalField("New closing time", format=LOCAL_TIME,
                                   validators=[Optional()])
    submit = SubmitField("Grant the extension")


class MemberForm(FlaskForm):
    """A course teacher adds someone or changes their role."""

    username = StringField("Username", validators=[DataRequired(), Length(max=40)])
    role = SelectField("Role", choices=[(r, r.capitalize()) for r in COURSE_ROLES])
    submit = SubmitField("Set the role")
