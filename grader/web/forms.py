"""The web forms (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

USERNAME_RULE = Regexp(r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, '.', '-' or '_' only.")


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=256)])
    remember = BooleanField("Keep me signed in")
    submit = SubmitField("Sign in")


class RegisterForm(FlaskForm):
    """A new student account."""

    username = StringField(
        "Username", validators=[DataRequired(), Length(min=2, max=40), USERNAME_RULE]
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(min=8, max=256, message="Use at least 8 characters.")],
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )
    submit = SubmitField("Create my account")


class PasswordForm(FlaskForm):
    """Change my password (this ends my other sessions and revokes my API tokens)."""

    current = PasswordField("Current password", validators=[DataRequired(), Length(max=256)])
    new = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=8, max=256, message="Use at least 8 characters.")],
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new", message="The passwords differ.")],
    )
    submit = SubmitField("Change my password")


class SubmitForm(FlaskForm):
    """A submission: the editor's files (sent as `file:<path>` fields) or uploaded files."""

    uploads = MultipleFileField("Or upload files (or one .zip)")
    submit = SubmitField("Submit for grading")


class ChallengeUploadForm(FlaskForm):
    """A zipped challenge folder."""

    archive = FileField(
        "Challenge archive (.zip)",
        validators=[FileRequired("Choose a .zip file."), FileAllowed(["zip"], "Only .zip files.")],
    )
    publish = BooleanField("Publish as soon as it passes validation", default=True)
    submit = SubmitField("Upload and validate")


class MetadataForm(FlaskForm):
    """What a teacher may change about a challenge without uploading a new version."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    concepts = StringField(
        "Concepts",
        description="Concept ids separated by commas, e.g. routing.route, templates.render",
        validators=[Optional(), Length(max=1000)],
    )
    difficulty = SelectField(
        "Difficulty", choices=[(1, "1 - Easy"), (2, "2 - Medium"), (3, "3 - Hard")], coerce=int
    )
    order = IntegerField(
        "Position in the course", validators=[Optional(), NumberRange(min=-10000, max=10000)]
    )
    submit = SubmitField("Save")

    def validate_concepts(self, field: StringField) -> None:
        for concept in self.concept_list():
            if not all(part and part.replace("-", "").replace("_", "").isalnum()
                       for part in concept.split(".")):
                raise ValidationError(f"{concept!r} is not a concept id like 'routing.route'.")

    def concept_list(self) -> list[str]:
        """The concepts field as a clean list."""
        return [c.strip() for c in (self.concepts.data or "").split(",") if c.strip()]


class TokenForm(FlaskForm):
    """A new API token."""

    name = StringField(
        "Name", validators=[DataRequired(), Length(max=64)],
        description="Where you will use it, e.g. 'laptop'",
    )
    submit = SubmitField("Create token")


class ConfirmForm(FlaskForm):
    """A button-only form (revoke, publish, regrade, promote): it exists for its CSRF token."""

    submit = SubmitField("Confirm")


class PromoteForm(FlaskForm):
    """An admin sets a user's role."""

    role = SelectField(
        "Role", choices=[("student", "Student"), ("teacher", "Teacher"), ("admin", "Admin")]
    )
    submit = SubmitField("Set role")
