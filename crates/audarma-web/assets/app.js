// The review desk's only script: saving in place (PUT /api/jobs/{id}/segments/{n}), findings refreshed
// after each save, "not a problem" in place, keyboard commands, and the text a reviewer selects in a
// translation as the marked text of an MQM annotation. Without it every form still works by posting.
"use strict";

(function () {
  const csrf = document.body.dataset.csrf || "";
  const job = document.getElementById("job");
  if (!job || job.dataset.editable !== "true") return;
  const jobId = job.dataset.job;
  const msg = (k) => document.body.dataset["msg" + k] || k;
  const segments = Array.from(document.querySelectorAll("section.seg"));

  function hidden(name, value) {
    const i = document.createElement("input");
    i.type = "hidden";
    i.name = name;
    i.value = value;
    return i;
  }

  // The same forms the server renders, so they post without this script too.
  function findingForm(seg, f, kind) {
    const form = document.createElement("form");
    form.className = kind;
    form.method = "post";
    form.action = "/jobs/" + jobId + "/segments/" + seg.dataset.idx + (kind === "dismiss" ? "/dismiss" : "/words");
    form.append(hidden("csrf", csrf), hidden("version", seg.dataset.version),
      hidden("check", f.check), hidden("message", f.message));
    const button = document.createElement("button");
    button.type = "submit";
    if (kind === "dismiss") {
      const reason = document.createElement("input");
      reason.name = "reason";
      reason.placeholder = msg("Reason");
      reason.setAttribute("aria-label", msg("Reason"));
      form.append(reason);
      button.textContent = msg("Dismiss");
    } else {
      form.append(hidden("word", f.word));
      button.textContent = msg("AddWord").replace("%s", f.word);
    }
    form.append(button);
    return form;
  }

  // "Accept as MQM error" beside a finding, as the server renders it for reviewers.
  function acceptForm(seg, f) {
    const form = document.createElement("form");
    form.className = "accept-mqm";
    form.method = "post";
    form.action = "/jobs/" + jobId + "/segments/" + seg.dataset.idx + "/annotations";
    form.append(hidden("csrf", csrf), hidden("check", f.check), hidden("message", f.message));
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = job.dataset.msgAccept || "MQM";
    form.append(button);
    return form;
  }

  function markDismissed(li, by, reason) {
    li.classList.add("dismissed");
    li.querySelectorAll("form").forEach((f) => f.remove());
    const span = document.createElement("span");
    span.className = "dismissal";
    span.textContent = msg("Dismissed") + (by ? " · " + by : "") + (reason ? ": " + reason : "");
    li.append(" ", span);
  }

  function refreshError(seg) {
    seg.classList.toggle("has-error", !!seg.querySelector("li.finding.sev-error:not(.dismissed)"));
  }

  function renderFindings(seg, findings) {
    const ul = seg.querySelector("ul.findings");
    ul.replaceChildren();
    for (const f of findings) {
      const li = document.createElement("li");
      li.className = "finding sev-" + f.severity;
      const b = document.createElement("b");
      b.textContent = f.check;
      const m = document.createElement("span");
      m.className = "message";
      m.textContent = f.message;
      li.append(b, " ", m);
      if (f.dismissed) {
        markDismissed(li, f.dismissed.by, f.dismissed.reason);
      } else {
        li.append(findingForm(seg, f, "dismiss"));
        if (f.word) li.append(findingForm(seg, f, "add-word"));
        if (job.dataset.annotate === "true") li.append(acceptForm(seg, f));
      }
      ul.append(li);
    }
    refreshError(seg);
  }

  // "Not a problem" in place; the form posts as usual if the request cannot be made.
  document.addEventListener("submit", async (e) => {
    const form = e.target;
    if (!form.classList || !form.classList.contains("dismiss")) return;
    const seg = form.closest("section.seg");
    if (!seg) return;
    e.preventDefault();
    const f = form.elements;
    let res;
    try {
      res = await fetch("/api/jobs/" + jobId + "/segments/" + seg.dataset.idx + "/dismissals", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({
          check: f.check.value, message: f.message.value,
          version: Number(f.version.value), reason: f.reason.value || null,
        }),
        credentials: "same-origin",
      });
    } catch (err) {
      form.submit();
      return;
    }
    const body = await res.json().catch(() => ({}));
    if (res.ok) {
      markDismissed(form.closest("li"), body.by, body.reason);
      refreshError(seg);
    } else {
      const status = seg.querySelector(".status");
      const text = res.status === 409 ? msg("Conflict") : msg("Failed") + ": " + (body.error || res.status);
      if (status) status.textContent = text;
    }
  });

  // Seconds in the editor: from a segment's first focus (after the page opened or its last save) to
  // its save.
  const started = new Map();
  document.addEventListener("focusin", (e) => {
    const seg = e.target.closest ? e.target.closest("section.seg") : null;
    if (seg && e.target.name === "text" && !started.has(seg)) started.set(seg, performance.now());
  });

  async function save(seg) {
    const form = seg.querySelector("form.edit");
    const status = form.querySelector(".status");
    const text = form.elements.text.value;
    status.textContent = msg("Saving");
    const since = started.get(seg);
    const seconds = since === undefined ? null : (performance.now() - since) / 1000;
    let res;
    try {
      res = await fetch("/api/jobs/" + jobId + "/segments/" + seg.dataset.idx, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({
          text: text, version: Number(seg.dataset.version), seconds: seconds > 0 ? seconds : null,
          start: form.elements.start.value || null,
        }),
        credentials: "same-origin",
      });
    } catch (e) {
      status.textContent = msg("Failed");
      return false;
    }
    const body = await res.json().catch(() => ({}));
    if (res.ok) {
      seg.dataset.version = String(body.version);
      form.elements.version.value = String(body.version);
      renderFindings(seg, body.findings || []);
      started.delete(seg);
      if (document.activeElement === form.elements.text) started.set(seg, performance.now());
      status.textContent = msg("Saved");
      form.elements.text.dataset.saved = text;
      form.elements.start.value = "";
      return true;
    }
    status.textContent = res.status === 409 ? msg("Conflict") : msg("Failed") + ": " + (body.error || res.status);
    return false;
  }

  function focusSegment(seg) {
    if (!seg) return;
    const ta = seg.querySelector("textarea");
    seg.scrollIntoView({ block: "center" });
    if (ta) ta.focus();
  }

  for (const seg of segments) {
    const form = seg.querySelector("form.edit");
    if (!form) continue;
    form.elements.text.dataset.saved = form.elements.text.value;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      save(seg);
    });
    const copy = form.querySelector("button.copy");
    if (copy) {
      copy.hidden = false;
      copy.addEventListener("click", () => {
        const s = seg.querySelector(".suggestion");
        if (s) form.elements.text.value = s.textContent;
        form.elements.start.value = "suggestion";
        form.elements.text.focus();
      });
    }
    // A fuzzy memory match as the start instead of the suggestion: its text in the editor, and the
    // save says so (approval measures the post-edit from it).
    for (const use of seg.querySelectorAll("button.use-match")) {
      use.hidden = false;
      use.addEventListener("click", () => {
        const t = use.closest("li").querySelector(".tm-target");
        if (t) form.elements.text.value = t.textContent;
        form.elements.start.value = "match-" + use.dataset.k;
        form.elements.text.focus();
      });
    }
  }

  document.addEventListener("keydown", async (e) => {
    const seg = e.target.closest ? e.target.closest("section.seg") : null;
    const ctrl = e.ctrlKey || e.metaKey;
    if (ctrl && e.key.toLowerCase() === "s" && seg) {
      e.preventDefault();
      save(seg);
    } else if (ctrl && e.key === "Enter" && seg) {
      e.preventDefault();
      if (await save(seg)) focusSegment(segments[segments.indexOf(seg) + 1]);
    } else if (ctrl && e.shiftKey && e.key.toLowerCase() === "c" && seg) {
      e.preventDefault();
      const b = seg.querySelector("button.copy");
      if (b) b.click();
    } else if (e.altKey && e.key.toLowerCase() === "n") {
      e.preventDefault();
      const from = seg ? segments.indexOf(seg) : -1;
      const next = segments.slice(from + 1).concat(segments.slice(0, from + 1))
        .find((s) => s.querySelector("li.finding:not(.dismissed)"));
      focusSegment(next);
    }
  });

  // Unsaved text is not lost by leaving the page.
  window.addEventListener("beforeunload", (e) => {
    const dirty = segments.some((s) => {
      const ta = s.querySelector("textarea");
      return ta && ta.value !== ta.dataset.saved;
    });
    if (dirty) e.preventDefault();
  });
})();

// MQM annotations: the text a reviewer selects in a segment's translation (the editor, or the text of
// a job no longer editable) becomes the marked text of that segment's annotation form, with its
// offsets in characters (code points, as the server counts them). The server checks the text at those
// offsets, else looks the marked text up in the segment's saved text.
(function () {
  const job = document.getElementById("job");
  if (!job || job.dataset.annotate !== "true") return;
  const chars = (s) => Array.from(s).length;

  // A mark over a glossary term starts with its error type (the server's presets: wrong-inflection
  // over the right term, wrong-term over a wrong one) until the reviewer picks one.
  function preset(form, start, end) {
    const type = form.elements.type;
    if (type.value !== "" && form.dataset.preset !== type.value) return;
    let presets = [];
    try { presets = JSON.parse(form.dataset.presets || "[]"); } catch (_) { return; }
    const hit = presets.find(([s, e]) => s < end && start < e);
    type.value = hit ? hit[2] : "";
    form.dataset.preset = type.value;
  }

  function mark(seg, text, before) {
    const form = seg && seg.querySelector("form.annotate");
    if (!form || !text.trim()) return;
    form.elements.marked.value = text;
    form.elements.start.value = String(chars(before));
    form.elements.end.value = String(chars(before) + chars(text));
    preset(form, chars(before), chars(before) + chars(text));
  }

  document.addEventListener("select", (e) => {
    const ta = e.target;
    if (!ta || ta.tagName !== "TEXTAREA" || ta.name !== "text") return;
    const v = ta.value;
    mark(ta.closest("section.seg"), v.slice(ta.selectionStart, ta.selectionEnd), v.slice(0, ta.selectionStart));
  }, true);

  document.addEventListener("selectionchange", () => {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    const start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    const p = start && start.closest("p.current");
    if (!p || !p.contains(range.endContainer)) return;
    const before = document.createRange();
    before.selectNodeContents(p);
    before.setEnd(range.startContainer, range.startOffset);
    mark(p.closest("section.seg"), range.toString(), before.toString());
  });

  // Marked text typed or pasted by hand: its place is looked up, the offsets no longer apply.
  document.addEventListener("input", (e) => {
    const form = e.target.form;
    if (e.target.name !== "marked" || !form || !form.classList.contains("annotate")) return;
    form.elements.start.value = "";
    form.elements.end.value = "";
  });
})();
