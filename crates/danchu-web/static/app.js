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
  });

  // A small rich-text editor over a textarea. The textarea stays the form field, so the
  // form works the same without JavaScript; the server cleans whatever HTML arrives.
  function richEditor(area) {
    var editor = document.createElement("div");
    editor.className = "editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    var label = document.querySelector('label[for="' + area.id + '"]');
    if (label) { editor.setAttribute("aria-label", label.textContent); }
    editor.innerHTML = area.value;
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
