"""Hidden tests: a form with a file, checked, stored safely and served back."""

from __future__ import annotations

import re

import pytest

PDF = b"%PDF-1.4\n" + b"0123456789abcdef" * 64 + b"\n%%EOF\n"


def upload(client, title="Q4 report", tags=(), document=(PDF, "report.pdf")):
    data: dict = {"title": title}
    if tags:
        data["tags"] = list(tags)
    if document is not None:
        data["document"] = document
    return client.post("/upload", data=data)


def listing(client) -> list[dict]:
    return client.get("/uploads").get_json()["files"]


def title_value(html: str) -> str | None:
    for tag in re.findall(r"<input\b[^>]*>", html):
        if re.search(r'\bname="title"', tag):
            found = re.search(r'\bvalue="([^"]*)"', tag)
            return found.group(1) if found else ""
    return None


@pytest.mark.points(8)
def test_form(client):
    """The upload form has the fields and can send files"""
    r = client.get("/upload")
    assert r.status_code == 200, "GET /upload shows the form"
    form = re.search(r"<form\b[^>]*>", r.text)
    assert form and 'method="post"' in form.group(0).lower(), "The form is sent with POST"
    assert 'enctype="multipart/form-data"' in form.group(0), (
        "Without the right enctype a browser sends the file's name, not the file"
    )
    for field in ('name="title"', 'name="tags"', 'type="file"', 'name="document"'):
        assert field in r.text, "The form needs a title, tag checkboxes and a document file input"


@pytest.mark.points(10)
def test_upload_and_download(client, learner):
    """A valid upload is stored, listed and served back"""
    r = upload(client, title="  Q4 report ", tags=["work", "finance"])
    assert r.status_code == 303, "After a successful upload, redirect with 303 See Other"
    assert (r.location or "").endswith("/uploads"), "Redirect to the list of uploads"
    assert listing(client) == [
        {"name": "report.pdf", "title": "Q4 report", "tags": ["work", "finance"], "size": len(PDF)}
    ], "The list shows the file's name, title, tags and size"
    download = client.get("/uploads/report.pdf")
    assert download.status_code == 200 and download.data == PDF, (
        "The stored file comes back unchanged"
    )
    folder_files = learner.eval("__import__('os').listdir(app.config['UPLOAD_FOLDER'])")
    assert "report.pdf" in folder_files, "Save the file in UPLOAD_FOLDER"


@pytest.mark.points(6)
def test_upload_settings(learner):
    """Uploads are capped at 1 MB and stored in the instance folder"""
    assert learner.eval("app.config.get('MAX_CONTENT_LENGTH')") == 1024 * 1024, (
        "Cap the request size with MAX_CONTENT_LENGTH"
    )
    assert learner.eval(
        "app.config.get('UPLOAD_FOLDER') == __import__('os').path.join("
        "app.instance_path, 'uploads')"
    ), "UPLOAD_FOLDER is instance/uploads"
    assert learner.eval("__import__('os').path.isdir(app.config['UPLOAD_FOLDER'])"), (
        "Create the upload folder when the app starts"
    )


@pytest.mark.points(16)
def test_filenames_are_secured(client, learner):
    """Uploaded filenames cannot choose where the file goes"""
    cases = [
        ("../../My Report.pdf", "My_Report.pdf"),
        ("..\\..\\app.txt", "app.txt"),
        ("/tmp/photo.PNG", "tmp_photo.PNG"),
        ("Résumé 2026.pdf", "Resume_2026.pdf"),
    ]
    for sent, _ in cases:
        r = upload(client, document=(b"data", sent))
        assert r.status_code == 303, (
            "A valid file with a strange name is accepted under a safe name"
        )
    stored = sorted(safe for _, safe in cases)
    assert [f["name"] for f in listing(client)] == stored, (
        "Never trust the uploaded filename: make it safe before using it as a path"
    )
    on_disk = learner.eval("sorted(__import__('os').listdir(app.config['UPLOAD_FOLDER']))")
    assert on_disk == stored, "The files are saved in the upload folder under their safe names"


@pytest.mark.points(8)
def test_tags_from_checkboxes(client):
    """Every checked tag is kept"""
    upload(client, tags=["personal", "work", "finance"])
    assert listing(client)[0]["tags"] == ["personal", "work", "finance"], (
        "Checkboxes that share a name send the field several times: keep every value"
    )


@pytest.mark.points(10)
def test_bad_title(client):
    """A blank or too long title shows the form again with an error"""
    for title in ["", "   ", "x" * 101]:
        r = upload(client, title=title)
        assert r.status_code == 400, "An invalid form is answered 400"
        assert re.search(r'<p class="error">[^<]+</p>', r.text), "Show the form again with p.error"
    assert listing(client) == [], "Nothing is stored from an invalid form"


@pytest.mark.points(8)
def test_missing_title_field(client):
    """A form without any title field is answered with the form, not a bare error page"""
    r = client.post("/upload", data={"document": (PDF, "report.pdf")})
    assert r.status_code == 400, "A missing field is a bad request"
    assert re.search(r'<p class="error">[^<]+</p>', r.text), (
        "Read optional form fields so that a missing one gives the form back with a message"
    )


@pytest.mark.points(8)
def test_missing_file(client):
    """A form without a file is refused, keeping the typed title"""
    r = upload(client, title="Keep me", document=None)
    assert r.status_code == 400, "A document is required"
    assert re.search(r'<p class="error">[^<]+</p>', r.text), "Explain the problem in p.error"
    assert title_value(r.text) == "Keep me", "Do not make the visitor type the title again"


@pytest.mark.points(10)
def test_other_extensions(client):
    """Files of other types are refused, keeping the typed title"""
    for name in ["notes", "app.py", ".pdf", "virus.exe", "report.pdf.sh"]:
        r = upload(client, title="Keep me", document=(b"x", name))
        assert r.status_code == 400, "Only pdf, txt, png, jpg and jpeg files are accepted"
        assert re.search(r'<p class="error">[^<]+</p>', r.text), "Explain the problem in p.error"
        assert title_value(r.text) == "Keep me", "Do not make the visitor type the title again"
    assert listing(client) == [], "Nothing is stored from an invalid form"


@pytest.mark.points(4)
def test_unknown_tag(client):
    """Unknown tags are refused"""
    r = upload(client, tags=["work", "secret"])
    assert r.status_code == 400, "Tags come from the list only"


@pytest.mark.points(4)
def test_uppercase_extension(client):
    """Extensions are accepted in any case"""
    assert upload(client, document=(PDF, "SCAN.PDF")).status_code == 303, "SCAN.PDF is a PDF too"


@pytest.mark.points(10)
def test_too_large(client):
    """Requests larger than 1 MB are refused with 413"""
    r = upload(client, document=(b"0" * (1024 * 1024 + 10), "big.txt"))
    assert r.status_code == 413, "Let Flask refuse requests that are too large"
    assert listing(client) == [], "A refused upload is not stored"


@pytest.mark.points(6)
def test_download_unknown(client):
    """Only stored files can be downloaded"""
    upload(client)
    for name in ["missing.pdf", "..%2Fapp.py", "app.py"]:
        assert client.get(f"/uploads/{name}").status_code == 404, "Serve stored uploads only"
