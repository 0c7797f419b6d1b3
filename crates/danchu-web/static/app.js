// danchu: progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  // Move keyboard focus to the first field the server marked invalid.
  document.addEventListener("DOMContentLoaded", function () {
    var bad = document.querySelector('[aria-invalid="true"]');
    if (bad) { bad.focus(); }
    // The print view's button (hidden without JavaScript, where the browser's own print works).
    var pb = document.querySelector(".print-button");
    if (pb) {
      pb.hidden = false;
      pb.addEventListener("click", function () { window.print(); });
    }
    document.querySelectorAll("textarea.rich").forEach(richEditor);
    warnBeforeLeaving();
  });

  // Leaving an admin page with a changed form asks first (what was typed would be lost);
  // sending the form does not. A form the server sent back with errors holds typed text
  // that is not saved yet, so it counts as changed.
  function warnBeforeLeaving() {
    if (location.pathname.indexOf("/quan-tri") !== 0) { return; }
    var changed = [];
    Array.prototype.forEach.call(document.forms, function (form) {
      if (form.method !== "post") { return; }
      var mark = function () { if (changed.indexOf(form) < 0) { changed.push(form); } };
      form.addEventListener("input", mark);
      form.addEventListener("change", mark);
      form.addEventListener("submit", function () {
        changed = changed.filter(function (f) { return f !== form; });
      });
      if (form.querySelector('[aria-invalid="true"]')) { mark(); }
    });
    window.addEventListener("beforeunload", function (e) {
      if (changed.length === 0) { return undefined; }
      e.preventDefault();
      e.returnValue = "";
      return "";
    });
  }

  // A small rich-text editor over a textarea. The textarea stays the form field, so the
  // form works the same without JavaScript; the server cleans whatever HTML arrives (and
  // makes paragraphs of any other way of writing lines).
  function richEditor(area) {
    // Enter starts a paragraph (<p>), not Chromium's default <div>.
    document.execCommand("defaultParagraphSeparator", false, "p");
    var editor = document.createElement("div");
    editor.className = "editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    var label = document.querySelector('label[for="' + area.id + '"]');
    if (label) { editor.setAttribute("aria-label", label.textContent); }
    // An empty editor starts with a paragraph, so the first line is one too.
    editor.innerHTML = area.value.trim() === "" ? "<p><br></p>" : area.value;
    // A line typed outside any paragraph (everything deleted, then typed) becomes one.
    editor.addEventListener("input", function () {
      var loose = Array.prototype.some.call(editor.childNodes, function (n) {
        return n.nodeType === 3 && n.textContent.trim() !== "";
      });
      if (loose) { document.execCommand("formatBlock", false, "p"); }
    });
    var bar = document.createElement("div");
    bar.className = "editor-bar";
    bar.setAttribute("role", "toolbar");
    [["bold", "Đậm"], ["italic", "Nghiêng"], ["h2", "Tiêu đề"], ["insertUnorderedList", "Danh sách"],
     ["insertOrderedList", "Danh sách số"], ["link", "Liên kết"], ["removeFormat", "Bỏ định dạng"]].forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b[1];
      btn.addEventListener("click", function () {
        editor.focus();
        if (b[0] === "h2") {
          document.execCommand("formatBlock", false, "h2");
        } else if (b[0] === "link") {
          var url = window.prompt("Địa chỉ liên kết (https://…)");
          if (url) { document.execCommand("createLink", false, url); }
        } else {
          document.execCommand(b[0], false, null);
        }
      });
      bar.appendChild(btn);
    });
    area.hidden = true;
    area.parentNode.insertBefore(bar, area);
    area.parentNode.insertBefore(editor, area);
    area.form.addEventListener("submit", function () { area.value = editor.innerHTML; });
  }
})();
