// Review on the submission page: comment on a line by clicking its number (staff), and see
// comments and replies arrive live in their threads.
(function () {
  "use strict";

  var live = window.GraderLive;
  var code = document.getElementById("code");
  var box = document.getElementById("submission");
  if (!code || !box) { return; }
  var submissionId = Number(box.dataset.submissionId);

  function table(path) {
    return Array.prototype.find.call(code.querySelectorAll("table.code-lines"), function (t) {
      return t.dataset.path === path;
    });
  }

  function lineRow(path, line) {
    var found = table(path);
    return found ? found.querySelector("tr.code-line[data-line='" + line + "']") : null;
  }

  // Staff: a click on a line number brings the file's comment form under that line.
  code.querySelectorAll("button.line-button").forEach(function (button) {
    button.addEventListener("click", function () {
      var details = button.closest("details");
      var form = details.querySelector("form.line-comment-form");
      var row = lineRow(details.dataset.path, button.dataset.line);
      var holder = details.querySelector("tr.comment-form-row");
      if (!holder) {
        holder = live ? live.el("tr", { "class": "comment-form-row" }) : document.createElement("tr");
        holder.appendChild(document.createElement("td"));
        holder.appendChild(document.createElement("td"));
      }
      row.parentNode.insertBefore(holder, row.nextElementSibling.nextElementSibling);
      holder.lastChild.appendChild(form);
      form.querySelector("input[name=line]").value = button.dataset.line;
      code.querySelectorAll("tr.code-line.selected").forEach(function (r) { r.classList.remove("selected"); });
      row.classList.add("selected");
      form.querySelector("textarea").focus();
    });
  });

  if (!live) { return; }

  function commentNode(c) {
    var article = live.el("article", { "class": "comment arrived" + (c.staff ? " comment-staff" : ""),
                                       id: "comment-" + c.id });
    var head = live.el("header");
    head.appendChild(live.el("strong", {}, c.author || "someone"));
    if (c.staff) { head.appendChild(document.createTextNode(" ")); head.appendChild(live.el("span", { "class": "badge badge-staff" }, "reviewer")); }
    head.appendChild(document.createTextNode(" \u00b7 just now"));
    article.appendChild(head);
    article.appendChild(live.el("p", { "class": "comment-body" }, c.body));
    return article;
  }

  function replyForm(rootId) {
    var template = document.getElementById("reply-template");
    if (!template || code.dataset.mayReply !== "true") { return null; }
    var form = template.content.firstElementChild.cloneNode(true);
    form.querySelector("input[name=parent]").value = rootId;
    form.querySelector("textarea").value = "";
    form.querySelector("textarea").id = "reply-" + rootId;
    return form;
  }

  function markRead() {
    fetch(code.dataset.readUrl, { method: "POST", credentials: "same-origin",
                                 headers: { "X-CSRFToken": code.dataset.csrf, Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && window.GraderReviewBadge) { window.GraderReviewBadge.show(answer.count); }
      })
      .catch(function () { /* the badge is corrected on the next page */ });
  }

  function addComment(c) {
    if (document.getElementById("comment-" + c.id)) { return; }
    var row = lineRow(c.path, c.line);
    if (!row) { return; }
    var threadRow = row.nextElementSibling;
    var rootId = c.parent || c.id;
    var thread = threadRow.querySelector(".thread");
    if (!thread) {
      thread = live.el("div", { "class": "thread", "data-path": c.path, "data-line": String(c.line),
                                "data-root": String(rootId) });
      var form = replyForm(rootId);
      if (form) { thread.appendChild(form); }
      threadRow.lastElementChild.appendChild(thread);
      threadRow.hidden = false;
      row.closest("details").open = true;
    }
    var before = thread.querySelector("form.reply-form");
    thread.insertBefore(commentNode(c), before);
    markRead();
  }

  var socket = live.connect();
  if (!socket) { return; }
  socket.on("review.comment", function (c) {
    if (Number(c.submission_id) === submissionId) { addComment(c); }
  });
})();
